package org.rlhf4j.training.loss;

import java.util.Arrays;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Package-private tensor helpers shared by the losses: dtype policy, scalars, shape checks. */
final class Ops {
  private Ops() {}

  /** A libtorch scalar (freed with the enclosing native scope). */
  static Scalar s(double v) { return new Scalar(v); }

  /**
   * The dtype losses compute in: f64 stays f64, everything else floating (f32, bf16, f16)
   * computes in f32. Integer inputs are rejected.
   */
  static Tensor upcast(String name, Tensor t) {
    if (is(t, ScalarType.Double) || is(t, ScalarType.Float)) return t;
    if (is(t, ScalarType.BFloat16) || is(t, ScalarType.Half)) return t.to(ScalarType.Float);
    throw new IllegalArgumentException(name + " must be a floating-point tensor, got " + t.scalar_type());
  }

  /**
   * Whether {@code t} has dtype {@code type}. Compares the native value: JavaCPP returns fresh
   * enum instances from {@code scalar_type()}, so {@code ==} against the constants is false.
   */
  static boolean is(Tensor t, ScalarType type) { return t.scalar_type().value == type.value; }

  /** {@code t} converted to the dtype of {@code like} (masks, integer counts). */
  static Tensor like(Tensor t, Tensor like) {
    return t.scalar_type().value == like.scalar_type().value ? t : t.to(like.scalar_type());
  }

  /** The value of a one-element tensor, read without autograd. */
  static double value(Tensor t) { return t.detach().item_double(); }

  /** Sum over {@code dim} keeping it (for broadcasting back). */
  static Tensor sumKeep(Tensor t, long dim) {
    return t.sum(new long[] {dim}, true, new ScalarTypeOptional());
  }

  static Tensor meanKeep(Tensor t, long dim) {
    return t.mean(new long[] {dim}, true, new ScalarTypeOptional());
  }

  static long[] shape(Tensor t) {
    long[] s = new long[(int) t.dim()];
    for (int i = 0; i < s.length; i++) s[i] = t.size(i);
    return s;
  }

  static void requireDim(String name, Tensor t, int dim, String layout) {
    if (t == null) throw new IllegalArgumentException(name + " is required " + layout);
    if (t.dim() != dim) {
      throw new IllegalArgumentException(name + " must be " + layout + ", got shape " + Arrays.toString(shape(t)));
    }
  }

  static void requireSameShape(String name, Tensor t, String refName, Tensor ref) {
    if (t == null) throw new IllegalArgumentException(name + " is required");
    if (!Arrays.equals(shape(t), shape(ref))) {
      throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape(t)) + " but " + refName
          + " has shape " + Arrays.toString(shape(ref)));
    }
  }

  static void requireFinite(String name, double v) {
    if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite, got " + v);
  }

  static void requirePositive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  static void requireNonNegative(String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be >= 0, got " + v);
  }
}

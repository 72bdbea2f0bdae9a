package org.rlhf4j.models.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/**
 * One new query per row against the cached keys (a decode step: every key, or those a (B, 1, 1, S) key mask keeps, as
 * continuous batching's right-aligned rows of different lengths need), on the Java Vector API, reading each head's keys and values once straight from the cache's memory: softmax(q K^T /
 * sqrt(D)) V in float32, the G = H / Hkv query heads of a group sharing one key/value head. libtorch's
 * scaled_dot_product_attention spends most of such a step outside the arithmetic (Llama-110M's 12 heads of 64 at 128
 * cached positions, one Zen 4 core: about 100 us a layer for 0.4 MFLOP; with a mask, GPT-2's 32 rows of a serving batch
 * took 23% of a decode step there). Anything else (other masks, gradients, other dtypes or devices, strides other
 * than the cache's) is not {@link #applies} and stays on libtorch.
 */
public final class DecodeAttention {
  private DecodeAttention() {}

  /**
   * Whether q (B, H, 1, D) against k, v (B, Hkv, S, D), with no mask or a boolean (B, 1, 1, S) one (true = attend),
   * can take this kernel: float32 on the CPU, no gradient, the thin paths and their Vector API kernel on
   * ({@link ThinMatmul#vectorKernel}), H a multiple of Hkv, and k, v laid out as cache views (each position's D values
   * contiguous, positions D apart).
   */
  public static boolean applies(Tensor q, Tensor k, Tensor v, Tensor mask) {
    if (!ThinMatmul.enabled() || !ThinMatmul.vectorKernel() || q.dim() != 4 || q.size(2) != 1) return false;
    if (mask != null && !(mask.scalar_type().value == torch.ScalarType.Bool.value && mask.dim() == 4 && mask.size(0) == q.size(0)
        && mask.size(1) == 1 && mask.size(2) == 1 && mask.size(3) == k.size(2) && !mask.is_cuda())) {
      return false;
    }
    if (GradMode.is_enabled() && (q.requires_grad() || k.requires_grad() || v.requires_grad())) return false;
    for (Tensor t : new Tensor[] {q, k, v}) {
      if (t.is_cuda() || t.scalar_type().value != torch.ScalarType.Float.value) return false;
    }
    long d = q.size(3);
    return k.dim() == 4 && v.dim() == 4 && k.size(0) == q.size(0) && q.size(1) % k.size(1) == 0 && k.size(3) == d
        && java.util.Arrays.equals(k.shape(), v.shape()) && cacheLayout(k) && cacheLayout(v) && k.size(2) >= 1;
  }

  private static boolean cacheLayout(Tensor t) { return t.stride(3) == 1 && t.stride(2) == t.size(3); }

  /** softmax(q K^T / sqrt(D)) V for q (B, H, 1, D) and k, v (B, Hkv, S, D) that {@link #applies}: (B, H, 1, D). */
  public static Tensor forward(Tensor q, Tensor k, Tensor v) { return forward(q, k, v, null); }

  /** As {@link #forward(Tensor, Tensor, Tensor)}, over the keys {@code mask} (B, 1, 1, S) keeps (null: all). */
  public static Tensor forward(Tensor q, Tensor k, Tensor v, Tensor mask) {
    int b = (int) q.size(0), h = (int) q.size(1), d = (int) q.size(3), hkv = (int) k.size(1), s = (int) k.size(2), g = h / hkv;
    float[] qs = ThinMatmul.floats(q, b * h * d), out = new float[b * h * d], p = new float[s];
    boolean[] keep = mask == null ? null : keys(mask, b * s);
    ByteBuffer kb = view(k), vb = view(v);
    long kb0 = k.stride(0), kb1 = k.stride(1), vb0 = v.stride(0), vb1 = v.stride(1);
    float scale = (float) (1 / Math.sqrt(d));
    for (int row = 0; row < b; row++) {
      for (int head = 0; head < h; head++) {
        int qo = (row * h + head) * d, kvh = head / g;
        scores(kb, (int) (row * kb0 + kvh * kb1), qs, qo, d, s, scale, keep, row * s, p);
        weighted(vb, (int) (row * vb0 + kvh * vb1), p, d, s, out, qo);
      }
    }
    return Tensors.floats(out, Device.CPU, b, h, 1, d);
  }

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** The mask's B * S flags, row-major. */
  private static boolean[] keys(Tensor mask, int n) {
    Tensor c = mask.contiguous();
    ByteBuffer m = ThinMatmul.buffer(c, n);
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) out[i] = m.get(i) != 0;
    java.lang.ref.Reference.reachabilityFence(c);
    return out;
  }

  /**
   * p[j] = softmax_j(scale * q . K[j]) over the s cached positions (K's rows start at float {@code base}); positions
   * whose {@code keep[ko + j]} is false get 0 (keep null: none is masked).
   */
  private static void scores(ByteBuffer k, int base, float[] q, int qo, int d, int s, float scale, boolean[] keep, int ko, float[] p) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < s; j++) {
      if (keep != null && !keep[ko + j]) {
        p[j] = Float.NEGATIVE_INFINITY;
        continue;
      }
      int at = (base + j * d) * 4;
      FloatVector acc = FloatVector.zero(S);
      int i = 0;
      for (; i + L <= d; i += L) acc = FloatVector.fromByteBuffer(S, k, at + i * 4, LE).fma(FloatVector.fromArray(S, q, qo + i), acc);
      float dot = acc.reduceLanes(VectorOperators.ADD);
      for (; i < d; i++) dot += k.getFloat(at + i * 4) * q[qo + i];
      p[j] = dot * scale;
      max = Math.max(max, p[j]);
    }
    float sum = 0;
    for (int j = 0; j < s; j++) {
      p[j] = (float) Math.exp(p[j] - max);
      sum += p[j];
    }
    for (int j = 0; j < s; j++) p[j] /= sum;
  }

  /** out[oo .. oo + d) = sum_j p[j] V[j] (V's rows start at float {@code base}). */
  private static void weighted(ByteBuffer v, int base, float[] p, int d, int s, float[] out, int oo) {
    int i = 0;
    for (; i + L <= d; i += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < s; j++) acc = FloatVector.fromByteBuffer(S, v, (base + j * d + i) * 4, LE).fma(FloatVector.broadcast(S, p[j]), acc);
      acc.intoArray(out, oo + i);
    }
    for (; i < d; i++) {
      float acc = 0;
      for (int j = 0; j < s; j++) acc += v.getFloat((base + j * d + i) * 4) * p[j];
      out[oo + i] = acc;
    }
  }

  /** The tensor's memory from its first element to its last (any strides). */
  private static ByteBuffer view(Tensor t) {
    long last = 0;
    for (int i = 0; i < t.dim(); i++) last += (t.size(i) - 1) * t.stride(i);
    long bytes = Math.multiplyExact(last + 1, 4L);
    if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("DecodeAttention: a cache view of " + bytes + " bytes exceeds one buffer");
    return ThinMatmul.buffer(t, bytes);
  }
}

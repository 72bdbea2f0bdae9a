package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * Masked reductions over a whole batch (token-level, as TRL's {@code masked_mean}). Masks hold
 * 1 where a position counts and 0 where it is ignored; any dtype (bool, int, float) is accepted
 * and converted to the dtype of the values. Values at masked positions may be anything finite.
 */
public final class Masked {
  private Masked() {}

  /** sum(x * m) / sum(m) over every element: a 0-dim tensor, differentiable in {@code x}. */
  public static Tensor mean(Tensor x, Tensor mask) {
    Ops.requireSameShape("mask", mask, "values", x);
    Tensor m = Ops.like(mask, x); // (...)
    return x.mul(m).sum().div(m.sum()); // ()
  }

  /** sum(x * m) over every element. */
  public static Tensor sum(Tensor x, Tensor mask) {
    Ops.requireSameShape("mask", mask, "values", x);
    return x.mul(Ops.like(mask, x)).sum(); // ()
  }

  /**
   * Masked variance: mean over counted positions of (x - masked mean)^2; {@code unbiased}
   * multiplies by N/(N-1) (TRL {@code masked_var}), which needs at least two counted positions.
   */
  public static Tensor var(Tensor x, Tensor mask, boolean unbiased) {
    Tensor m = Ops.like(mask, x); // (...)
    Tensor centered = x.sub(mean(x, m)); // (...)
    Tensor variance = mean(centered.square(), m); // ()
    if (!unbiased) return variance;
    double n = Ops.value(m.sum());
    if (n < 2) throw new IllegalArgumentException("unbiased masked variance needs >= 2 counted positions, got " + n);
    return variance.mul(s(n / (n - 1))); // ()
  }

  /**
   * TRL {@code masked_whiten}: (x - mean) / sqrt(var + eps) over the counted positions of the
   * whole batch, then 0 at masked positions. With {@code shiftMean == false} the mean is added
   * back (only the scale is normalised).
   */
  public static Tensor whiten(Tensor x, Tensor mask, boolean unbiased, double eps, boolean shiftMean) {
    Ops.requireNonNegative("eps", eps);
    Tensor m = Ops.like(mask, x); // (...)
    Tensor mu = mean(x, m); // ()
    Tensor var = var(x, m, unbiased); // ()
    Tensor w = x.sub(mu).mul(var.add(s(eps)).rsqrt()); // (...)
    if (!shiftMean) w = w.add(mu); // (...)
    return w.mul(m); // (...)
  }
}

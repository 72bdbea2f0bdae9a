package org.rlhf4j.training.loss;

/**
 * The KL-penalty coefficient schedule of PPO-RLHF. Immutable: {@link #update} returns the
 * controller to use next.
 */
public sealed interface KlController permits KlController.Fixed, KlController.Adaptive {

  /** The current coefficient (kl_coef). */
  double value();

  /**
   * The controller after a batch whose measured KL (mean per-sequence KL, as TRL logs it) was
   * {@code currentKl}, over {@code nSteps} samples.
   */
  KlController update(double currentKl, long nSteps);

  /** A constant coefficient. */
  record Fixed(double value) implements KlController {
    public Fixed { Ops.requireNonNegative("value", value); }

    @Override public KlController update(double currentKl, long nSteps) { return this; }
  }

  /**
   * Ziegler et al. (2019) adaptive controller: e = clip(currentKl / target - 1, -0.2, 0.2);
   * value *= 1 + e * nSteps / horizon.
   */
  record Adaptive(double value, double target, double horizon) implements KlController {
    public Adaptive {
      Ops.requireNonNegative("value", value);
      Ops.requirePositive("target", target);
      Ops.requirePositive("horizon", horizon);
    }

    @Override public KlController update(double currentKl, long nSteps) {
      Ops.requireFinite("currentKl", currentKl);
      if (nSteps < 0) throw new IllegalArgumentException("nSteps must be >= 0, got " + nSteps);
      double error = Math.max(-0.2, Math.min(0.2, currentKl / target - 1));
      return new Adaptive(value * (1 + error * nSteps / horizon), target, horizon);
    }
  }
}

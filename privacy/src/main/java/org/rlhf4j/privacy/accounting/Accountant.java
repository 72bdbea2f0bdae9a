package org.rlhf4j.privacy.accounting;

/** ε of DP-SGD (Poisson sampling at rate q, Gaussian noise multiplier σ, N steps) for a δ. */
public interface Accountant {
  double epsilon(double noiseMultiplier, double sampleRate, long steps, double delta);

  /** "rdp" or "prv". */
  String name();

  /** What it computes, for a model card (e.g. privacy.json's {@code accountant_method}). */
  String description();

  /** ε and what else the accountant knows of it, by name (PRV: its lower bound, estimate and upper bound = ε). */
  default java.util.Map<String, Double> detail(double noiseMultiplier, double sampleRate, long steps, double delta) {
    return java.util.Map.of("epsilon", epsilon(noiseMultiplier, sampleRate, steps, delta));
  }

  /** The accountants by name, as Opacus names them: "rdp" ({@link RdpAccountant#opacus}) or "prv" ({@link PrvAccountant#opacus}). */
  static Accountant named(String name) {
    return switch (name == null ? "" : name) {
      case "rdp" -> RdpAccountant.opacus();
      case "prv" -> PrvAccountant.opacus();
      default -> throw new IllegalArgumentException("accountant must be rdp or prv, got '" + name + "'");
    };
  }

  static void check(double sigma, double q, long steps, double delta) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise multiplier must be positive, got " + sigma);
    if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sample rate must be in [0, 1], got " + q);
    if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
  }

  /**
   * The smallest noise multiplier whose ε is at most {@code targetEpsilon} (bisection on σ, to a relative 1e-6 in
   * σ; ε falls as σ grows). What Opacus's {@code get_noise_multiplier} does, to a tighter tolerance.
   */
  default double noiseFor(double targetEpsilon, double sampleRate, long steps, double delta) {
    if (!(targetEpsilon > 0)) throw new IllegalArgumentException("target epsilon must be positive, got " + targetEpsilon);
    check(1, sampleRate, steps, delta);
    double lo = 0.01;
    double hi = 1;
    while (above(targetEpsilon, hi, sampleRate, steps, delta)) {
      hi *= 2;
      if (hi > 1e6) throw new IllegalArgumentException("no noise multiplier below 1e6 reaches epsilon " + targetEpsilon);
    }
    if (!above(targetEpsilon, lo, sampleRate, steps, delta)) return lo;
    while (hi - lo > 1e-6 * hi) {
      double mid = 0.5 * (lo + hi);
      if (above(targetEpsilon, mid, sampleRate, steps, delta)) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /**
   * Whether ε(σ) exceeds the target; an accountant that cannot compute ε at this σ (the PRV accountant's grid grows
   * with ε, and is refused past its limit) is taken as above it: the arguments were checked, so only a small σ does that.
   */
  private boolean above(double target, double sigma, double sampleRate, long steps, double delta) {
    try {
      return epsilon(sigma, sampleRate, steps, delta) > target;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}

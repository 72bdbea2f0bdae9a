package org.rlhf4j.privacy.dp;

import org.apache.commons.math3.special.Erf;

/**
 * The analytic Gaussian mechanism (Balle &amp; Wang, "Improving the Gaussian Mechanism for Differential Privacy:
 * Analytical Calibration and Optimal Denoising", ICML 2018, Theorem 8): Gaussian noise N(0, σ²) on a query of L2
 * sensitivity Δ is (ε, δ)-DP iff Φ(Δ/2σ − εσ/Δ) − e^ε Φ(−Δ/2σ − εσ/Δ) ≤ δ. The left side falls as σ grows, so the
 * smallest such σ is found by bisection (to a relative 1e-12, rounded up).
 */
public final class AnalyticGaussian {
  private AnalyticGaussian() {}

  /** The exact δ of N(0, σ²) noise at ε for sensitivity Δ. */
  public static double delta(double sigma, double epsilon, double sensitivity) {
    double a = sensitivity / (2 * sigma);
    double b = epsilon * sigma / sensitivity;
    double first = phi(a - b);
    double second = Math.exp(epsilon + logPhi(-a - b));
    return Math.max(0, first - second);
  }

  /** The smallest σ giving (ε, δ)-DP for sensitivity Δ. */
  public static double sigma(double epsilon, double delta, double sensitivity) {
    if (!(epsilon > 0) || !(delta > 0 && delta < 1) || !(sensitivity > 0)) {
      throw new IllegalArgumentException("analytic Gaussian needs epsilon > 0, 0 < delta < 1, sensitivity > 0; got "
          + epsilon + ", " + delta + ", " + sensitivity);
    }
    double lo = sensitivity * 1e-6;
    double hi = sensitivity;
    while (delta(hi, epsilon, sensitivity) > delta) hi *= 2;
    while (delta(lo, epsilon, sensitivity) <= delta && lo > 1e-300) lo /= 2;
    while ((hi - lo) > 1e-12 * hi) {
      double mid = 0.5 * (lo + hi);
      if (delta(mid, epsilon, sensitivity) > delta) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  static double phi(double x) { return 0.5 * Erf.erfc(-x / Math.sqrt(2)); }

  /** log Φ(x), accurate in the far lower tail (asymptotic series where erfc underflows). */
  static double logPhi(double x) {
    if (x > -30) return Math.log(phi(x));
    double z = -x;
    return -0.5 * z * z - Math.log(z) - 0.5 * Math.log(2 * Math.PI) + Math.log1p(-1 / (z * z) + 3 / Math.pow(z, 4));
  }
}

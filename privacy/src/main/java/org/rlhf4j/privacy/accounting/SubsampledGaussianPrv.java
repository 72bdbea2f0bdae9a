package org.rlhf4j.privacy.accounting;

import org.apache.commons.math3.special.Erf;

/**
 * The privacy loss random variable of one Poisson-subsampled Gaussian step (sampling rate q, noise multiplier σ):
 * its cdf in closed form (Gopi, Lee & Wutschitz 2021, Proposition B4; Opacus's {@code PoissonSubsampledGaussianPRV})
 * and the mean of its truncation to [a, b], integrated numerically (adaptive Gauss–Kronrod 7/15 over Opacus's
 * break points around 0, where the mass sits, from the support's start log(1 − q)).
 */
record SubsampledGaussianPrv(double q, double sigma) {
  private static final double SQRT2 = Math.sqrt(2);
  private static final double[] BREAKS = {-1e-1, -1e-2, -1e-3, -1e-4, -1e-5, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1};

  SubsampledGaussianPrv {
    if (!(q > 0 && q <= 1)) throw new IllegalArgumentException("sample rate must be in (0, 1], got " + q);
    if (!(sigma > 0)) throw new IllegalArgumentException("noise multiplier must be positive, got " + sigma);
  }

  /** P(loss ≤ t): 0 up to log(1 − q), then 1 − q·erfc((2zσ² − 1)/(2√2σ))/2 − (1 − q)·erfc((2zσ² + 1)/(2√2σ))/2, z = log((e^t − 1 + q)/q). */
  double cdf(double t) {
    if (!(t > Math.log1p(-q))) return 0;
    double z = Math.log((Math.expm1(t) + q) / q);
    double s2 = sigma * sigma, den = 2 * SQRT2 * sigma;
    return 1 - q * Erf.erfc((2 * z * s2 - 1) / den) / 2 - (1 - q) * Erf.erfc((2 * z * s2 + 1) / den) / 2;
  }

  /** Mean of the variable truncated to [a, b] (renormalised): b − ∫_a^b F_trunc(t) dt. */
  double truncatedMean(double a, double b) {
    double lo = cdf(a), mass = cdf(b) - lo;
    java.util.function.DoubleUnaryOperator f = t -> (cdf(t) - lo) / mass;
    // Below log(1 − q) the cdf is 0: start there, so that no rule samples only the flat part and misses the rise.
    double support = Math.log1p(-q);
    double integral = 0, left = Math.max(a, support);
    for (double x : BREAKS) {
      if (x <= left || x >= b) continue;
      integral += integrate(f, left, x, 0);
      left = x;
    }
    integral += integrate(f, left, b, 0);
    return b - integral;
  }

  private static final double[] XGK = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
      0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013,
      0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0};
  private static final double[] WGK = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
      0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.169004726639267902826583426598550,
      0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
  private static final double[] WG = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
      0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

  /**
   * Adaptive Gauss–Kronrod: the 15-point rule, bisected while it differs from the 7-point one by more than 1e-13 per
   * unit length (or 1e-15 relative): the mean is then good to about 1e-12, far below a grid cell.
   */
  static double integrate(java.util.function.DoubleUnaryOperator f, double a, double b, int depth) {
    double c = (a + b) / 2, h = (b - a) / 2;
    double fc = f.applyAsDouble(c);
    double k = WGK[7] * fc, g = WG[3] * fc;
    for (int j = 0; j < 7; j++) {
      double x = h * XGK[j];
      double s = f.applyAsDouble(c - x) + f.applyAsDouble(c + x);
      k += WGK[j] * s;
      if (j % 2 == 1) g += WG[j / 2] * s;
    }
    k *= h;
    g *= h;
    if (depth >= 3 && Math.abs(k - g) <= Math.max(1e-13 * h, 1e-15 * Math.abs(k)) || depth >= 40) return k; // 8 pieces at least
    return integrate(f, a, c, depth + 1) + integrate(f, c, b, depth + 1);
  }
}

package org.rlhf4j.privacy.accounting;

import java.util.ArrayList;
import java.util.List;

/**
 * Rényi-DP accountant for DP-SGD: the Poisson-subsampled Gaussian mechanism (sampling rate q, noise multiplier σ)
 * composed over steps. The RDP of one step at order α is computed as in Mironov, Talwar &amp; Zhang, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism" (2019): the integer-α binomial sum (their §3.2) and the
 * fractional-α two-series expansion (§3.3), in log space; RDP composes additively over steps and (ε, δ) is the
 * minimum over orders of a {@link Conversion}. Orders are Opacus's defaults (1.1, 1.2, ..., 10.9, 12, ..., 63), so
 * the numbers match Opacus's {@code RDPAccountant} (checked against it in {@code RdpAccountantTest}).
 */
public final class RdpAccountant implements Accountant {
  /** Opacus's DEFAULT_ALPHAS: 1 + x/10 for x = 1..99, then 12..63. */
  public static final List<Double> DEFAULT_ORDERS = defaultOrders();

  /** RDP → (ε, δ) conversions. */
  public enum Conversion {
    /**
     * Balle, Barthe, Gaboardi, Hsu &amp; Sato, "Hypothesis Testing Interpretations and Rényi DP" (AISTATS 2020, Thm. 21):
     * ε = rdp + log((α−1)/α) − (log δ + log α)/(α−1). What Opacus prints since 1.0 (its {@code privacy_analysis}).
     */
    BALLE_2020,
    /** Mironov, "Rényi Differential Privacy" (CSF 2017, Prop. 3): ε = rdp − log δ / (α−1). What older Opacus printed. */
    MIRONOV_2017;

    double epsilon(double rdp, double order, double delta) {
      return switch (this) {
        case BALLE_2020 -> rdp - (Math.log(delta) + Math.log(order)) / (order - 1) + Math.log((order - 1) / order);
        case MIRONOV_2017 -> rdp - Math.log(delta) / (order - 1);
      };
    }
  }

  private final List<Double> orders;
  private final Conversion conversion;

  public RdpAccountant(List<Double> orders, Conversion conversion) {
    if (orders.isEmpty() || orders.stream().anyMatch(a -> !(a > 1))) throw new IllegalArgumentException("RDP orders must all be > 1");
    this.orders = List.copyOf(orders);
    this.conversion = conversion;
  }

  /** Opacus's orders and conversion. */
  public static RdpAccountant opacus() { return new RdpAccountant(DEFAULT_ORDERS, Conversion.BALLE_2020); }

  @Override public String name() { return "rdp"; }

  @Override public String description() {
    return "RDP of the Poisson-subsampled Gaussian (Mironov, Talwar & Zhang 2019), " + orders.size() + " orders "
        + orders.get(0) + ".." + orders.get(orders.size() - 1) + ", " + switch (conversion) {
          case BALLE_2020 -> "Balle et al. 2020 conversion (Opacus >= 1.0)";
          case MIRONOV_2017 -> "Mironov 2017 conversion (Opacus < 1.0)";
        };
  }

  @Override public double epsilon(double noiseMultiplier, double sampleRate, long steps, double delta) {
    Accountant.check(noiseMultiplier, sampleRate, steps, delta);
    double best = Double.POSITIVE_INFINITY;
    for (double a : orders) {
      double e = conversion.epsilon(steps * rdp(sampleRate, noiseMultiplier, a), a, delta);
      if (e < best) best = e;
    }
    return Math.max(0, best);
  }

  /** The RDP at order α of one step. */
  static double rdp(double q, double sigma, double alpha) {
    if (q == 0) return 0;
    if (q == 1) return alpha / (2 * sigma * sigma);
    double logA = alpha == Math.rint(alpha) ? logAInteger(q, sigma, (int) alpha) : logAFractional(q, sigma, alpha);
    return logA / (alpha - 1);
  }

  /** log A_α = log Σ_{k=0}^{α} C(α,k) (1−q)^{α−k} q^k exp((k²−k)/(2σ²)). */
  static double logAInteger(double q, double sigma, int alpha) {
    double logA = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= alpha; k++) {
      double term = logBinomial(alpha, k) + k * Math.log(q) + (alpha - k) * Math.log1p(-q) + (k * (double) k - k) / (2 * sigma * sigma);
      logA = LogMath.add(logA, term);
    }
    return logA;
  }

  /** The fractional-α series, summed until both terms fall below e^-30. */
  static double logAFractional(double q, double sigma, double alpha) {
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    for (int i = 0; ; i++) {
      double coef = generalizedBinomial(alpha, i);
      double logCoef = Math.log(Math.abs(coef));
      double j = alpha - i;
      double logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
      double logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
      double logE0 = Math.log(0.5) + LogMath.logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double logE1 = Math.log(0.5) + LogMath.logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
      double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
      if (coef > 0) {
        logA0 = LogMath.add(logA0, logS0);
        logA1 = LogMath.add(logA1, logS1);
      } else {
        logA0 = LogMath.sub(logA0, logS0);
        logA1 = LogMath.sub(logA1, logS1);
      }
      if (Math.max(logS0, logS1) < -30) break;
      if (i > 100_000) throw new IllegalStateException("RDP series did not converge (q=" + q + ", sigma=" + sigma + ", alpha=" + alpha + ")");
    }
    return LogMath.add(logA0, logA1);
  }

  private static double logBinomial(int n, int k) {
    return LogMath.logGamma(n + 1) - LogMath.logGamma(k + 1) - LogMath.logGamma(n - k + 1);
  }

  /** C(α, i) for real α, integer i >= 0. */
  private static double generalizedBinomial(double alpha, int i) {
    double c = 1;
    for (int m = 0; m < i; m++) c *= (alpha - m) / (m + 1);
    return c;
  }

  private static List<Double> defaultOrders() {
    List<Double> o = new ArrayList<>();
    for (int x = 1; x < 100; x++) o.add(1 + x / 10.0);
    for (int a = 12; a < 64; a++) o.add((double) a);
    return List.copyOf(o);
  }
}

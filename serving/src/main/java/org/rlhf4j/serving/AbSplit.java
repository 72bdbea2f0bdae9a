package org.rlhf4j.serving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A/B assignment of users to model versions: a user's arm is a pure function of (experiment salt, user id) —
 * the first 8 bytes of SHA-256 as a uniform number in [0, 1) against the cumulative weights — so it is sticky
 * across requests, restarts and replicas, and balanced in proportion to the weights over many users.
 * {@link #compare} tests whether two arms' feedback rates differ (two-proportion z-test).
 */
public record AbSplit(String salt, List<String> arms, double[] weights) {
  public AbSplit {
    if (salt == null) throw new IllegalArgumentException("AbSplit: salt is required");
    if (arms == null || arms.size() < 2) throw new IllegalArgumentException("AbSplit: at least two arms are needed");
    if (weights == null || weights.length != arms.size()) throw new IllegalArgumentException("AbSplit: one weight per arm");
    double total = 0;
    for (double w : weights) {
      if (!(w > 0) || !Double.isFinite(w)) throw new IllegalArgumentException("AbSplit: weights must be > 0, got " + w);
      total += w;
    }
    weights = weights.clone();
    for (int i = 0; i < weights.length; i++) weights[i] /= total;
    arms = List.copyOf(arms);
  }

  /** Equal weights. */
  public static AbSplit even(String salt, List<String> arms) {
    double[] w = new double[arms.size()];
    java.util.Arrays.fill(w, 1);
    return new AbSplit(salt, arms, w);
  }

  /** The arm of {@code user}. */
  public String arm(String user) {
    double u = unit(salt + "\u0000" + user), acc = 0;
    for (int i = 0; i < arms.size() - 1; i++) {
      acc += weights[i];
      if (u < acc) return arms.get(i);
    }
    return arms.get(arms.size() - 1);
  }

  /** A two-proportion comparison: rates, difference, z and two-sided p-value. */
  public record Comparison(double rateA, double rateB, double difference, double z, double pValue) {
    public boolean significant(double alpha) { return pValue < alpha; }
  }

  /** Two-proportion z-test (pooled) of successes / trials in arm A against arm B. */
  public static Comparison compare(long successA, long trialsA, long successB, long trialsB) {
    if (trialsA <= 0 || trialsB <= 0) throw new IllegalArgumentException("compare: each arm needs at least one trial");
    if (successA < 0 || successA > trialsA || successB < 0 || successB > trialsB) {
      throw new IllegalArgumentException("compare: successes must be within 0..trials");
    }
    double a = (double) successA / trialsA, b = (double) successB / trialsB;
    double pooled = (double) (successA + successB) / (trialsA + trialsB);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / trialsA + 1.0 / trialsB));
    double z = se == 0 ? 0 : (b - a) / se;
    return new Comparison(a, b, b - a, z, 2 * (1 - normalCdf(Math.abs(z))));
  }

  /** Standard normal CDF (Abramowitz-Stegun 7.1.26 on erf, |error| < 1.5e-7). */
  static double normalCdf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-x * x / 2);
    return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
  }

  private static double unit(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
      return (v >>> 11) * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

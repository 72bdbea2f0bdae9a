package org.rlhf4j.evaluation;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Win rate of a policy against a baseline from per-prompt scores (a gold reward, a learned reward, a judge's
 * score). Per prompt the outcome is 1 when {@code policy - baseline > eps}, 0 when {@code < -eps}, 0.5 for a tie
 * ({@code |policy - baseline| <= eps}); the win rate is their mean.
 */
public final class WinRates {
  /** Two-sided 95% normal quantile. */
  static final double Z95 = 1.959963984540054;

  private WinRates() {}

  /** Per-prompt outcomes (1, 0.5, 0) of policy against baseline. */
  public static double[] outcomes(double[] policy, double[] baseline, double eps) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(baseline, "baseline");
    if (policy.length != baseline.length) {
      throw new IllegalArgumentException("policy has " + policy.length + " scores but baseline has " + baseline.length);
    }
    if (!(eps >= 0)) throw new IllegalArgumentException("eps must be >= 0, got " + eps);
    double[] out = new double[policy.length];
    for (int i = 0; i < out.length; i++) {
      if (!Double.isFinite(policy[i]) || !Double.isFinite(baseline[i])) {
        throw new IllegalArgumentException("score of prompt " + i + " is not finite");
      }
      double d = policy[i] - baseline[i];
      out[i] = d > eps ? 1 : d < -eps ? 0 : 0.5;
    }
    return out;
  }

  /** Win rate with a Wilson 95% interval (ties count half; see {@link #wilson(double[])}). */
  public static WinRate compare(double[] policy, double[] baseline, double eps) {
    return wilson(outcomes(policy, baseline, eps));
  }

  /**
   * Win rate of outcomes in [0, 1] (1/0.5/0 or soft preferences) with the Wilson score 95% interval computed as if
   * the mean were a binomial proportion over n prompts (a tie contributes half a win; this is slightly
   * conservative when there are many ties).
   */
  public static WinRate wilson(double[] outcomes) {
    double mean = mean(check(outcomes));
    double[] ci = wilsonInterval(mean, outcomes.length, Z95);
    return new WinRate(mean, Math.min(ci[0], mean), Math.max(ci[1], mean), outcomes.length);
  }

  /** Win rate with a percentile bootstrap 95% interval over prompts (seeded, reproducible). */
  public static WinRate bootstrap(double[] outcomes, int resamples, long seed) {
    check(outcomes);
    if (resamples < 100) throw new IllegalArgumentException("resamples must be >= 100, got " + resamples);
    SplittableRandom rng = new SplittableRandom(seed);
    int n = outcomes.length;
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) sum += outcomes[rng.nextInt(n)];
      means[b] = sum / n;
    }
    double mean = mean(outcomes);
    double[] ci = percentiles(means);
    return new WinRate(mean, Math.min(ci[0], mean), Math.max(ci[1], mean), n);
  }

  /** Wilson score interval for a proportion {@code p} over {@code n} trials at normal quantile {@code z}. */
  static double[] wilsonInterval(double p, int n, double z) {
    double z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** 2.5th and 97.5th percentiles (linear interpolation); sorts {@code xs}. */
  static double[] percentiles(double[] xs) {
    Arrays.sort(xs);
    return new double[] {quantile(xs, 0.025), quantile(xs, 0.975)};
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(i + 1, sorted.length - 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }

  static double[] check(double[] outcomes) {
    Objects.requireNonNull(outcomes, "outcomes");
    if (outcomes.length == 0) throw new IllegalArgumentException("no outcomes: need at least one prompt");
    for (int i = 0; i < outcomes.length; i++) {
      if (!(outcomes[i] >= 0 && outcomes[i] <= 1)) {
        throw new IllegalArgumentException("outcome of prompt " + i + " must be in [0, 1], got " + outcomes[i]);
      }
    }
    return outcomes;
  }

  static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s / xs.length;
  }
}

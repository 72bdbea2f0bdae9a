package org.rlhf4j.evaluation;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Length-controlled win rate in the spirit of AlpacaEval 2.0: how often the policy would win if its responses
 * were as long as the baseline's.
 *
 * <p>Definition. For prompt i let {@code y_i} in [0, 1] be the outcome (1 win, 0.5 tie, 0 loss, or a soft
 * preference), {@code d_i = len(policy_i) - len(baseline_i)} and {@code s} the sample standard deviation of the
 * {@code d_i} (the {@code lengthScale}). The standardised length difference is {@code z_i = d_i / s} (scaled, not
 * centred, so that z = 0 still means equal lengths; all z_i = 0 when s = 0). We fit
 * {@code P(win_i) = sigmoid(b0 + b1 * z_i)} by maximum likelihood (cross-entropy with soft targets, Newton/IRLS,
 * L2 penalty 1e-3 on both coefficients so that an all-win or all-loss run stays finite). The length-controlled win
 * rate is the predicted win probability at zero length difference: {@code sigmoid(b0)}. Its 95% interval is a
 * percentile bootstrap over prompts (the whole procedure, including s, refitted on each resample).
 *
 * <p>Differences from AlpacaEval 2.0: no per-instruction difficulty term and no tanh squashing of the length
 * feature, since here the baseline is one fixed model per call.
 *
 * @param winRate           the length-controlled win rate with its bootstrap interval
 * @param intercept         b0 (log-odds of winning at equal length)
 * @param lengthCoefficient b1 (change in log-odds per standard deviation of extra length)
 * @param lengthScale       s, the standard deviation of the length differences
 * @param rawRate           the plain (uncontrolled) win rate, mean of y
 */
public record LengthControlledWinRate(WinRate winRate, double intercept, double lengthCoefficient, double lengthScale,
    double rawRate) {
  static final double L2 = 1e-3;

  public LengthControlledWinRate {
    Objects.requireNonNull(winRate, "winRate");
    if (!Double.isFinite(intercept) || !Double.isFinite(lengthCoefficient)) {
      throw new IllegalArgumentException("coefficients must be finite");
    }
    if (!(lengthScale >= 0)) throw new IllegalArgumentException("lengthScale must be >= 0, got " + lengthScale);
    if (!(rawRate >= 0 && rawRate <= 1)) throw new IllegalArgumentException("rawRate must be in [0, 1], got " + rawRate);
  }

  /** With 1000 bootstrap resamples and seed 0. */
  public static LengthControlledWinRate of(double[] outcomes, double[] policyLengths, double[] baselineLengths) {
    return of(outcomes, policyLengths, baselineLengths, 1000, 0);
  }

  public static LengthControlledWinRate of(double[] outcomes, double[] policyLengths, double[] baselineLengths,
      int resamples, long seed) {
    double[] d = differences(WinRates.check(outcomes), policyLengths, baselineLengths);
    if (resamples < 100) throw new IllegalArgumentException("resamples must be >= 100, got " + resamples);
    Fit fit = fit(outcomes, d);
    int n = outcomes.length;
    double[] boot = new double[resamples];
    SplittableRandom rng = new SplittableRandom(seed);
    double[] y = new double[n];
    double[] dd = new double[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        int k = rng.nextInt(n);
        y[i] = outcomes[k];
        dd[i] = d[k];
      }
      boot[b] = LogisticRegression.sigmoid(fit(y, dd).intercept);
    }
    double lc = LogisticRegression.sigmoid(fit.intercept);
    double[] ci = WinRates.percentiles(boot);
    WinRate rate = new WinRate(lc, Math.min(ci[0], lc), Math.max(ci[1], lc), n);
    return new LengthControlledWinRate(rate, fit.intercept, fit.slope, fit.scale, WinRates.mean(outcomes));
  }

  private record Fit(double intercept, double slope, double scale) {}

  private static Fit fit(double[] y, double[] d) {
    double scale = sampleStd(d);
    double[][] x = new double[y.length][];
    for (int i = 0; i < y.length; i++) x[i] = new double[] {1, scale > 0 ? d[i] / scale : 0};
    double[] beta = LogisticRegression.fit(x, y, L2);
    return new Fit(beta[0], beta[1], scale);
  }

  private static double[] differences(double[] outcomes, double[] policyLengths, double[] baselineLengths) {
    Objects.requireNonNull(policyLengths, "policyLengths");
    Objects.requireNonNull(baselineLengths, "baselineLengths");
    int n = outcomes.length;
    if (policyLengths.length != n || baselineLengths.length != n) {
      throw new IllegalArgumentException("need one length per outcome: " + n + " outcomes, " + policyLengths.length
          + " policy lengths, " + baselineLengths.length + " baseline lengths");
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = policyLengths[i] - baselineLengths[i];
      if (!Double.isFinite(d[i])) throw new IllegalArgumentException("length of prompt " + i + " is not finite");
    }
    return d;
  }

  static double sampleStd(double[] xs) {
    if (xs.length < 2) return 0;
    double m = WinRates.mean(xs);
    double ss = 0;
    for (double x : xs) ss += (x - m) * (x - m);
    return Math.sqrt(ss / (xs.length - 1));
  }
}

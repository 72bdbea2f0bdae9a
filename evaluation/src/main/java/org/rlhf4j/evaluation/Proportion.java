package org.rlhf4j.evaluation;

/**
 * A rate of yes answers among the prompts where a flag was recorded, with a Wilson 95% interval.
 *
 * @param hits number of prompts where the flag is true
 * @param n    number of prompts where the flag was recorded
 */
public record Proportion(int hits, int n, double rate, double lo, double hi) {
  public Proportion {
    if (n < 1 || hits < 0 || hits > n) throw new IllegalArgumentException("need 0 <= hits <= n, n >= 1; got " + hits + "/" + n);
    if (!(lo <= rate && rate <= hi && lo >= 0 && hi <= 1)) {
      throw new IllegalArgumentException("need 0 <= lo <= rate <= hi <= 1; got " + lo + ", " + rate + ", " + hi);
    }
  }

  public static Proportion of(int hits, int n) {
    if (n < 1 || hits < 0 || hits > n) throw new IllegalArgumentException("need 0 <= hits <= n, n >= 1; got " + hits + "/" + n);
    double p = (double) hits / n;
    double[] ci = WinRates.wilsonInterval(p, n, WinRates.Z95);
    return new Proportion(hits, n, p, Math.min(ci[0], p), Math.max(ci[1], p));
  }
}

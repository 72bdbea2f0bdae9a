package org.rlhf4j.evaluation;

/**
 * A win rate in [0, 1] with its 95% interval.
 *
 * @param rate mean per-prompt outcome (win 1, tie 0.5, loss 0, or a soft preference)
 * @param lo   lower end of the 95% interval
 * @param hi   upper end of the 95% interval
 * @param n    number of prompts
 */
public record WinRate(double rate, double lo, double hi, int n) {
  public WinRate {
    if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
    if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("rate must be in [0, 1], got " + rate);
    if (!(lo >= 0 && lo <= rate + 1e-12)) throw new IllegalArgumentException("lo must be in [0, rate], got " + lo);
    if (!(hi <= 1 && hi >= rate - 1e-12)) throw new IllegalArgumentException("hi must be in [rate, 1], got " + hi);
  }

  /** E.g. {@code 62.5% [55.1, 69.4] (n=160)}. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%.1f%% [%.1f, %.1f] (n=%d)", 100 * rate, 100 * lo, 100 * hi, n);
  }
}

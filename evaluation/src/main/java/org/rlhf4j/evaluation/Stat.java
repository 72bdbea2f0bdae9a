package org.rlhf4j.evaluation;

/**
 * Mean and sample standard deviation (n - 1 denominator; 0 for one value) of the finite values of a quantity.
 * Non-finite values (NaN meaning "not measured") are left out and not counted; with none left the stat is
 * {@link #EMPTY} (n = 0, mean and std NaN).
 */
public record Stat(double mean, double std, double min, double max, int n) {
  public static final Stat EMPTY = new Stat(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

  public Stat {
    if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
    if (n > 0 && !(std >= 0)) throw new IllegalArgumentException("std must be >= 0, got " + std);
    if (n > 0 && !(min <= mean && mean <= max)) {
      throw new IllegalArgumentException("need min <= mean <= max, got " + min + ", " + mean + ", " + max);
    }
  }

  public static Stat of(double... values) {
    int n = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isFinite(v)) continue;
      n++;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (n == 0) return EMPTY;
    double mean = sum / n;
    double ss = 0;
    for (double v : values) if (Double.isFinite(v)) ss += (v - mean) * (v - mean);
    double clamped = Math.max(min, Math.min(max, mean)); // guard rounding
    return new Stat(clamped, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max, n);
  }
}

package org.rlhf4j.demo.sentiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far one method's frontier curve lies above another's at equal KL: both curves (KL ascending, starting at the
 * reference's KL 0) are interpolated linearly at {@link #GRID} evenly spaced KL values over the range both reach
 * (0, min(max KL a, max KL b)], and the gold differences a − b are summarised. {@code dominates} is true when a is
 * above b at every grid point — the DPO paper's "DPO ≥ PPO at every KL" as one boolean.
 *
 * @param upTo the end of the shared KL range
 */
record FrontierGap(double upTo, double mean, double min, double max, boolean dominates) {
  static final int GRID = 20;

  FrontierGap {
    if (!(upTo > 0)) throw new IllegalArgumentException("FrontierGap: the curves share no KL range beyond 0 (upTo " + upTo + ")");
  }

  /** The gap of curve a (klA, goldA) over curve b; each curve's KL values ascending, its first point KL 0. */
  static FrontierGap of(double[] klA, double[] goldA, double[] klB, double[] goldB) {
    double upTo = Math.min(klA[klA.length - 1], klB[klB.length - 1]);
    double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int i = 1; i <= GRID; i++) {
      double k = upTo * i / GRID;
      double d = at(klA, goldA, k) - at(klB, goldB, k);
      sum += d;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    return new FrontierGap(upTo, sum / GRID, min, max, min > 0);
  }

  /** Linear interpolation of (x, y) at k, x ascending with x[0] <= k <= x[last]. */
  static double at(double[] x, double[] y, double k) {
    if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("FrontierGap: x and y must be non-empty and equal in length");
    for (int i = 1; i < x.length; i++) {
      if (k <= x[i]) {
        double span = x[i] - x[i - 1];
        return span == 0 ? y[i] : y[i - 1] + (y[i] - y[i - 1]) * (k - x[i - 1]) / span;
      }
    }
    return y[y.length - 1];
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kl_range", new double[] {0, upTo});
    m.put("mean_gold_gap", mean);
    m.put("min_gold_gap", min);
    m.put("max_gold_gap", max);
    m.put("dominates", dominates);
    return m;
  }
}

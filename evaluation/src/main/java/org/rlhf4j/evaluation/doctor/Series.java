package org.rlhf4j.evaluation.doctor;

import java.util.Arrays;

/** One metric's finite observations in arrival order, with the window statistics the detectors need. */
final class Series {
  /** Differences used for the noise estimate: the most recent ones only, to keep each step cheap. */
  private static final int NOISE_SPAN = 200;

  private long[] steps = new long[64];
  private double[] values = new double[64];
  private double[] prefix = new double[65]; // prefix[i] = sum of values[0..i)
  private int n;

  void add(long step, double value) {
    if (!Double.isFinite(value)) throw new IllegalArgumentException("series values must be finite, got " + value);
    if (n == steps.length) {
      steps = Arrays.copyOf(steps, 2 * n);
      values = Arrays.copyOf(values, 2 * n);
      prefix = Arrays.copyOf(prefix, 2 * n + 1);
    }
    steps[n] = step;
    values[n] = value;
    prefix[n + 1] = prefix[n] + value;
    n++;
  }

  int size() {
    return n;
  }

  long step(int i) {
    return steps[i];
  }

  double value(int i) {
    return values[i];
  }

  /** Mean of observations [from, to). */
  double mean(int from, int to) {
    if (from < 0 || to > n || from >= to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
    return (prefix[to] - prefix[from]) / (to - from);
  }

  /** Mean of the last {@code w} observations. */
  double tailMean(int w) {
    return mean(n - w, n);
  }

  /** Mean of the window of {@code w} observations ending at index {@code end} (inclusive). */
  double windowMean(int end, int w) {
    return mean(end - w + 1, end + 1);
  }

  /** Step at the centre of the window of {@code w} observations ending at index {@code end}. */
  long windowCentre(int end, int w) {
    return steps[end - (w - 1) / 2];
  }

  /**
   * Per-observation noise standard deviation, estimated from recent first differences (which cancel a slow
   * trend): 1.4826 * MAD(diff) / sqrt(2), falling back to std(diff) / sqrt(2) when the MAD is zero.
   */
  double noiseSigma() {
    int m = Math.min(n - 1, NOISE_SPAN);
    if (m < 2) return 0;
    double[] d = new double[m];
    for (int i = 0; i < m; i++) d[i] = values[n - m + i] - values[n - m + i - 1];
    double mad = 1.4826 * median(absDeviations(d, median(d.clone())));
    if (mad > 0) return mad / Math.sqrt(2);
    double mean = Arrays.stream(d).average().orElse(0);
    double ss = 0;
    for (double x : d) ss += (x - mean) * (x - mean);
    return Math.sqrt(ss / (m - 1)) / Math.sqrt(2);
  }

  /** Standard error of the difference of two disjoint window means of {@code w} observations each. */
  double diffStandardError(int w) {
    return noiseSigma() * Math.sqrt(2.0 / w);
  }

  private static double[] absDeviations(double[] d, double centre) {
    double[] out = new double[d.length];
    for (int i = 0; i < d.length; i++) out[i] = Math.abs(d[i] - centre);
    return out;
  }

  private static double median(double[] d) {
    Arrays.sort(d);
    int m = d.length;
    return m % 2 == 1 ? d[m / 2] : 0.5 * (d[m / 2 - 1] + d[m / 2]);
  }
}

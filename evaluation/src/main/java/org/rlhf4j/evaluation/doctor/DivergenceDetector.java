package org.rlhf4j.evaluation.doctor;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * "One curve rises while the other falls from its peak" (reward hacking: proxy up, gold down; DPO: margin up,
 * chosen log-probs down). Works on window means: the best window of the falling metric so far is the peak; a
 * flag needs the latest window (disjoint from the peak window) to be lower than the peak by more than both
 * {@code minFall} and {@code z} standard errors (plus the selection bias of a maximum), while the rising metric's latest window is higher than it was
 * at the peak by more than {@code minRise} and {@code z} standard errors. The rising metric may be logged less
 * often: its last value is carried forward to each observation of the falling metric.
 */
final class DivergenceDetector implements Detector {
  /** What the explanation gets: window means at the peak and now, the onset step and the detection step. */
  record Divergence(double riseAtPeak, double riseNow, double fallPeak, double fallNow, long onset, long step) {}

  private final FlagKind kind;
  private final List<String> riseNames;
  private final List<String> fallNames;
  private final int window;
  private final double z;
  private final double minFall;
  private final double minRise;
  private final Function<Divergence, String> explain;
  private final Series rise = new Series();
  private final Series fall = new Series();
  private Double lastRise;
  private int peakEnd = -1;
  private double peak = Double.NEGATIVE_INFINITY;
  private double riseAtPeak;

  DivergenceDetector(FlagKind kind, List<String> riseNames, List<String> fallNames, int window, double z,
      double minFall, double minRise, Function<Divergence, String> explain) {
    this.kind = kind;
    this.riseNames = riseNames;
    this.fallNames = fallNames;
    this.window = window;
    this.z = z;
    this.minFall = minFall;
    this.minRise = minRise;
    this.explain = explain;
  }

  @Override
  public FlagKind kind() {
    return kind;
  }

  @Override
  public Flag observe(long step, Map<String, Double> metrics) {
    Double r = MetricNames.first(metrics, riseNames);
    if (r != null && Double.isFinite(r)) lastRise = r;
    Double f = MetricNames.first(metrics, fallNames);
    if (f == null || !Double.isFinite(f) || lastRise == null) return null;
    rise.add(step, lastRise);
    fall.add(step, f);
    int end = fall.size() - 1;
    if (end + 1 < window) return null;
    double fallNow = fall.windowMean(end, window);
    double riseNow = rise.windowMean(end, window);
    if (fallNow > peak) {
      peak = fallNow;
      peakEnd = end;
      riseAtPeak = riseNow;
    }
    if (end - peakEnd < window) return null; // the latest window must not overlap the peak window
    boolean fell = peak - fallNow > fallThreshold();
    boolean rose = riseNow - riseAtPeak > Math.max(minRise, z / 2 * rise.diffStandardError(window));
    if (!fell || !rose) return null;
    long onset = onset(end);
    return new Flag(kind, onset, explain.apply(new Divergence(riseAtPeak, riseNow, peak, fallNow, onset, step)));
  }

  /**
   * The fall needed: z standard errors of a difference of window means, plus the upward bias of the peak (the
   * maximum of k roughly independent window means exceeds their level by about sigma_w * sqrt(2 ln k)).
   */
  private double fallThreshold() {
    double sigmaW = fall.noiseSigma() / Math.sqrt(window);
    double k = Math.max(1.0, (double) fall.size() / window);
    return Math.max(minFall, z * fall.diffStandardError(window) + sigmaW * Math.sqrt(2 * Math.log(k)));
  }

  /**
   * Where the fall started: the breakpoint of a two-piece linear fit over the observations from two windows
   * before the peak window to now, searched between the peak window's start and the latest observation. For a
   * sharp peak that is the peak; for a plateau that then falls, the plateau's end; for a fall that levels off,
   * the centre of the peak window.
   */
  private long onset(int end) {
    int peakStart = peakEnd - window + 1;
    int from = Math.max(0, peakStart - 2 * window);
    int b = Breakpoint.fit(fall, from, peakStart, end + 1);
    double[] slopes = Breakpoint.slopes(fall, from, end + 1, b);
    // Falling faster before the breakpoint than after: the fit found where the fall levelled off, so the fall
    // began at the peak window (the best window mean), dated by its centre.
    if (slopes[0] < slopes[1]) return fall.step(Math.max(0, peakEnd - window / 2));
    return fall.step(b);
  }

}

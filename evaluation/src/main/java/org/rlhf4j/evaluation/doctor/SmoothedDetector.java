package org.rlhf4j.evaluation.doctor;

import java.util.List;
import java.util.Map;

/**
 * A detector on one metric: keeps its finite observations, and after each one asks a {@link Rule} about the
 * trailing mean of the last {@code smoothing} observations. The flag's step is the centre of that trailing window.
 * Optionally a non-finite value (NaN, Infinity) is itself the flag.
 */
final class SmoothedDetector implements Detector {
  /** Judges the smoothed value given the whole series; answers an explanation when it is pathological, else null. */
  interface Rule {
    String check(double smoothed, Series series, long step);
  }

  private final FlagKind kind;
  private final List<String> names;
  private final int smoothing;
  private final boolean flagNonFinite;
  private final Rule rule;
  private final Series series = new Series();

  SmoothedDetector(FlagKind kind, List<String> names, int smoothing, boolean flagNonFinite, Rule rule) {
    this.kind = kind;
    this.names = names;
    this.smoothing = smoothing;
    this.flagNonFinite = flagNonFinite;
    this.rule = rule;
  }

  @Override
  public FlagKind kind() {
    return kind;
  }

  @Override
  public Flag observe(long step, Map<String, Double> metrics) {
    Double v = MetricNames.first(metrics, names);
    if (v == null) return null;
    if (!Double.isFinite(v)) {
      if (!flagNonFinite) return null;
      return new Flag(kind, step, names.get(0) + " became " + v + " at step " + step
          + ": training has diverged numerically. Lower the learning rate, clip gradients, check for empty"
          + " responses or fp16 overflow, and restart from the last healthy checkpoint.");
    }
    series.add(step, v);
    int n = series.size();
    if (n < smoothing) return null;
    String why = rule.check(series.tailMean(smoothing), series, step);
    return why == null ? null : new Flag(kind, series.windowCentre(n - 1, smoothing), why);
  }
}

package org.rlhf4j.training.loop;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Averages the steps between two log lines: loss and metrics are means, tokens/s a rate. */
final class LogWindow {
  private double lossSum;
  private int steps;
  private long tokens;
  private long startNanos = System.nanoTime();
  private final Map<String, double[]> metricSums = new LinkedHashMap<>();

  void add(StepStats s) {
    lossSum += s.loss();
    steps++;
    tokens += s.tokens();
    s.metrics().forEach((k, v) -> {
      double[] acc = metricSums.computeIfAbsent(k, x -> new double[2]);
      acc[0] += v;
      acc[1]++;
    });
  }

  /** The metrics.jsonl record for {@code last}, then starts a new window. */
  Map<String, Object> drain(StepStats last) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", last.step());
    r.put("loss", steps == 0 ? last.loss() : lossSum / steps);
    r.put("lr", last.lr());
    r.put("learning_rate", last.lr()); // TRL's name
    r.put("grad_norm", last.gradNorm());
    if (tokens > 0 && seconds > 0) r.put("tokens_per_sec", tokens / seconds);
    metricSums.forEach((k, acc) -> r.put(k, acc[0] / acc[1]));
    lossSum = 0;
    steps = 0;
    tokens = 0;
    metricSums.clear();
    startNanos = System.nanoTime();
    return r;
  }

  /** Short summary for the progress bar's extra message (bar, counts, times and this share one line). */
  static String compact(StepStats s) {
    return String.format(Locale.ROOT, "loss %.4f lr %.1e", s.loss(), s.lr());
  }

  /** One-line summary of a step for the console. */
  static String summary(StepStats s) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "loss %.4f | lr %.2e | grad_norm %.3f",
        s.loss(), s.lr(), s.gradNorm()));
    if (s.tokens() > 0 && s.seconds() > 0) b.append(String.format(Locale.ROOT, " | %.0f tok/s", s.tokens() / s.seconds()));
    int shown = 0;
    for (var e : s.metrics().entrySet()) {
      if (shown++ == 4) break;
      b.append(String.format(Locale.ROOT, " | %s %.4g", e.getKey(), e.getValue()));
    }
    return b.toString();
  }
}

package org.rlhf4j.training.loop;

import java.util.Map;

/** Numbers of one finished optimizer step. */
record StepStats(int step, double loss, double lr, double gradNorm, long tokens, Map<String, Double> metrics,
    double seconds) {
  private static final java.util.Set<String> LOOP_KEYS = java.util.Set.of("step", "loss", "lr", "learning_rate", "grad_norm",
      "tokens_per_sec");

  /** These stats numbered {@code n} (a progress unit of several steps). */
  StepStats atStep(int n) { return new StepStats(n, loss, lr, gradNorm, tokens, metrics, seconds); }

  /** This step as its metrics.jsonl {@code record} has it: the window's mean loss and metrics. */
  StepStats asLogged(Map<String, Object> record) {
    Map<String, Double> m = new java.util.LinkedHashMap<>();
    record.forEach((k, v) -> { if (!LOOP_KEYS.contains(k) && v instanceof Number x) m.put(k, x.doubleValue()); });
    return new StepStats(step, ((Number) record.get("loss")).doubleValue(), lr, gradNorm, tokens, m, seconds);
  }
}

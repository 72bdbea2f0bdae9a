package org.rlhf4j.evaluation.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/** Builds noisy synthetic metric series: healthy curves by default, any metric replaceable by a pathology. */
final class SyntheticRun {
  private final Random rng;
  private final int steps;
  private final Map<String, DoubleUnaryOperator> curves = new LinkedHashMap<>();
  private final Map<String, Double> noise = new LinkedHashMap<>();
  private final Map<String, Integer> every = new LinkedHashMap<>();

  SyntheticRun(long seed, int steps) {
    this.rng = new Random(seed);
    this.steps = steps;
  }

  /** A healthy PPO run: rewards rise and saturate, KL grows sub-linearly, entropy declines gently. */
  static SyntheticRun healthyPpo(long seed, int steps) {
    return new SyntheticRun(seed, steps)
        .set("objective/scores", t -> 0.2 + 0.8 * (1 - Math.exp(-t / 100)), 0.10)
        .set("eval/gold_reward", t -> 0.1 + 0.5 * (1 - Math.exp(-t / 150)), 0.10)
        .set("response_length_mean", t -> 100 + 20 * (1 - Math.exp(-t / 150)), 8)
        .set("response_repetition", t -> 0.05, 0.03)
        .set("objective/kl", t -> 4 * Math.sqrt(t / 400), 0.5)
        .set("objective/entropy", t -> 2.0 - 0.8 * (1 - Math.exp(-t / 300)), 0.1)
        .set("loss/value_avg", t -> 0.2 + Math.exp(-t / 50), 0.05)
        .set("val/ratio", t -> 1.0, 0.02);
  }

  /** A healthy DPO run: margin and accuracy rise, chosen log-probs stay level. */
  static SyntheticRun healthyDpo(long seed, int steps) {
    return new SyntheticRun(seed, steps)
        .set("rewards/margins", t -> 2 * (1 - Math.exp(-t / 100)), 0.3)
        .set("logps/chosen", t -> -100, 3)
        .set("logps/rejected", t -> -100 - 20 * (1 - Math.exp(-t / 100)), 3)
        .set("loss", t -> 0.69 - 0.4 * (1 - Math.exp(-t / 100)), 0.05);
  }

  SyntheticRun set(String name, DoubleUnaryOperator curve, double sd) {
    curves.put(name, curve);
    noise.put(name, sd);
    return this;
  }

  /** Logs {@code name} only every {@code k} steps (e.g. an eval metric). */
  SyntheticRun every(String name, int k) {
    every.put(name, k);
    return this;
  }

  List<Map<String, Double>> rows() {
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Map<String, Double> m = new LinkedHashMap<>();
      for (var e : curves.entrySet()) {
        double v = e.getValue().applyAsDouble(t) + noise.get(e.getKey()) * rng.nextGaussian();
        if (t % every.getOrDefault(e.getKey(), 1) == 0) m.put(e.getKey(), v);
      }
      rows.add(m);
    }
    return rows;
  }

  List<Flag> diagnose(DoctorConfig c) {
    RunDoctor doctor = new RunDoctor(c);
    List<Map<String, Double>> rows = rows();
    for (int t = 0; t < rows.size(); t++) doctor.observe(t, rows.get(t));
    return doctor.flags();
  }
}

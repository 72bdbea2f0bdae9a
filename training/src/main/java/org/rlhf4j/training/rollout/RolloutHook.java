package org.rlhf4j.training.rollout;

import java.util.List;
import java.util.Map;

/**
 * Called after each rollout batch is scored, before the updates; the numbers it returns are
 * logged with that iteration's metrics (e.g. {@code eval/gold_reward} from a gold scorer next to
 * {@code eval/proxy_reward}, the trained-on score). Runs under no-grad; must not train.
 */
@FunctionalInterface
public interface RolloutHook {
  Map<String, Double> onRollout(int iteration, List<long[]> prompts, List<long[]> responses, double[] scores);

  /** A hook logging {@code eval/gold_reward} (mean of {@code gold}) and {@code eval/proxy_reward} (mean score). */
  static RolloutHook gold(Scorer gold) {
    return (it, prompts, responses, scores) -> Map.of(
        "eval/gold_reward", mean(gold.score(prompts, responses)),
        "eval/proxy_reward", mean(scores));
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) s += x;
    return xs.length == 0 ? Double.NaN : s / xs.length;
  }
}

package org.rlhf4j.evaluation.doctor;

import java.util.List;
import java.util.Map;

/**
 * Metric names the {@link RunDoctor} reads from {@code metrics.jsonl}. Each quantity accepts a list of names
 * tried in order (the first one present in a step's record is used); the primary names follow Hugging Face TRL.
 *
 * <ul>
 *   <li>proxy reward: {@code eval/proxy_reward}, {@code objective/scores} (TRL PPO/RLOO reward-model score),
 *       {@code reward} (TRL GRPO)</li>
 *   <li>gold / judge reward: {@code eval/gold_reward}, {@code eval/judge_reward}</li>
 *   <li>response length: {@code response_length_mean}, {@code completions/mean_length} (TRL GRPO)</li>
 *   <li>repetition (fraction of repeated n-grams, 0..1): {@code response_repetition}</li>
 *   <li>KL to the reference: {@code objective/kl}, {@code kl} (TRL GRPO)</li>
 *   <li>entropy: {@code objective/entropy}, {@code entropy}</li>
 *   <li>value loss: {@code loss/value_avg}</li>
 *   <li>importance ratio: {@code val/ratio}</li>
 *   <li>DPO: {@code logps/chosen}, {@code rewards/margins}</li>
 * </ul>
 */
public final class MetricNames {
  private MetricNames() {}

  public static final List<String> PROXY_REWARD = List.of("eval/proxy_reward", "objective/scores", "reward");
  public static final List<String> GOLD_REWARD = List.of("eval/gold_reward", "eval/judge_reward");
  public static final List<String> LENGTH = List.of("response_length_mean", "completions/mean_length");
  public static final List<String> REPETITION = List.of("response_repetition");
  public static final List<String> KL = List.of("objective/kl", "kl");
  public static final List<String> ENTROPY = List.of("objective/entropy", "entropy");
  public static final List<String> VALUE_LOSS = List.of("loss/value_avg");
  public static final List<String> RATIO = List.of("val/ratio");
  public static final List<String> CHOSEN_LOGPS = List.of("logps/chosen");
  public static final List<String> MARGINS = List.of("rewards/margins");

  /** The value of the first name present in {@code metrics}, or {@code null} when none is. */
  static Double first(Map<String, Double> metrics, List<String> names) {
    for (String name : names) {
      Double v = metrics.get(name);
      if (v != null) return v;
    }
    return null;
  }
}

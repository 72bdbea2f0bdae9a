package org.rlhf4j.evaluation;

import java.util.Map;
import java.util.Objects;

/**
 * What was measured for one prompt's response. Numbers are NaN when not measured (e.g. no gold reward).
 * {@code flags} holds yes/no judgements by name; a flag absent from the map was not judged for this prompt, so it
 * does not count in that flag's rate. Conventional names: {@link #CORRECT}, {@link #REFUSED},
 * {@link #ADMITTED_UNKNOWN}, {@link #HALLUCINATED} (e.g. refusal rate on harmful prompts = rate of
 * {@code refused} in family {@code harmful}).
 *
 * @param family prompt family (e.g. "arithmetic", "harmful", "unknowable")
 */
public record PromptEval(String family, double goldReward, double proxyReward, double kl, double length,
    Map<String, Boolean> flags) {
  public static final String CORRECT = "correct";
  public static final String REFUSED = "refused";
  public static final String ADMITTED_UNKNOWN = "admitted_unknown";
  public static final String HALLUCINATED = "hallucinated";

  public PromptEval {
    Objects.requireNonNull(family, "family");
    if (family.isBlank()) throw new IllegalArgumentException("family must not be blank");
    Objects.requireNonNull(flags, "flags");
    flags.forEach((k, v) -> {
      if (k == null || v == null) throw new IllegalArgumentException("flags must not hold null names or values");
    });
    flags = Map.copyOf(flags);
    if (length < 0) throw new IllegalArgumentException("length must be >= 0, got " + length);
  }
}

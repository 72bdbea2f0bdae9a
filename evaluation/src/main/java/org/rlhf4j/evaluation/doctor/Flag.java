package org.rlhf4j.evaluation.doctor;

import java.util.Objects;

/**
 * One diagnosis of a run.
 *
 * @param kind        which pathology
 * @param step        the training step at which it started: for trend flags the centre of the window where the
 *                    smoothed curve first crossed the limit (the peak of the gold curve for reward hacking), for a
 *                    non-finite value the step that logged it
 * @param explanation plain-English account with the numbers that triggered it and what to try
 */
public record Flag(FlagKind kind, long step, String explanation) {
  public Flag {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(explanation, "explanation");
    if (explanation.isBlank()) throw new IllegalArgumentException("explanation must not be blank");
  }

  /** The flag as JSON reports write it: {@code {kind (lower case), step, explanation}}. */
  public java.util.Map<String, Object> asJson() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    m.put("step", step);
    m.put("explanation", explanation);
    return m;
  }

  @Override
  public String toString() {
    return kind + " @ step " + step + ": " + explanation;
  }
}

package org.rlhf4j.aifeedback.label;

import java.util.Objects;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.data.Content;

/**
 * One pair to label: an id (what resuming skips), the comparison, and the reference P(A) when the input had a
 * label (a human preference file), else null. {@code principle} names the constitution principle the criterion
 * came from (RL-CAI), else null.
 */
public record LabelItem(String id, Comparison comparison, Double referenceA, String principle) {
  public LabelItem {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("LabelItem.id must not be blank");
    Objects.requireNonNull(comparison, "LabelItem.comparison");
    if (referenceA != null && !(referenceA >= 0 && referenceA <= 1)) {
      throw new IllegalArgumentException("LabelItem.referenceA must be in [0, 1] but was " + referenceA);
    }
  }

  public static LabelItem of(String id, Content prompt, String a, String b, Double referenceA) {
    return new LabelItem(id, Comparison.of(prompt, a, b), referenceA, null);
  }

  /** The same pair judged under a principle's criterion. */
  public LabelItem under(String principleName, String criterion) {
    return new LabelItem(id, comparison.withCriterion(criterion), referenceA, principleName);
  }
}

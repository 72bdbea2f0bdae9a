package org.rlhf4j.demo.raters;

import java.util.Objects;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.demo.world.GoldReward;
import org.rlhf4j.demo.world.Prompt;

/** Two responses to one prompt, to be compared, with their (hidden) gold scores. */
public record ComparisonItem(String id, Prompt prompt, String responseA, String responseB, double goldA, double goldB) {
  /** Gold scores closer than this are a true tie. */
  public static final double TIE_MARGIN = 1e-9;

  public ComparisonItem {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("ComparisonItem.id must not be blank");
    Objects.requireNonNull(prompt, "ComparisonItem.prompt (item " + id + ")");
    Objects.requireNonNull(responseA, "ComparisonItem.responseA (item " + id + ")");
    Objects.requireNonNull(responseB, "ComparisonItem.responseB (item " + id + ")");
    if (!Double.isFinite(goldA) || !Double.isFinite(goldB)) {
      throw new IllegalArgumentException("ComparisonItem gold scores must be finite (item " + id + ")");
    }
  }

  /** An item whose gold scores come from {@code gold}. */
  public static ComparisonItem of(String id, Prompt prompt, String responseA, String responseB, GoldReward gold) {
    return new ComparisonItem(id, prompt, responseA, responseB, gold.score(prompt, responseA),
        gold.score(prompt, responseB));
  }

  /** The true preference: the response with the higher gold score, TIE when equal. */
  public Choice goldChoice() {
    if (Math.abs(goldA - goldB) <= TIE_MARGIN) return Choice.TIE;
    return goldA > goldB ? Choice.A : Choice.B;
  }
}

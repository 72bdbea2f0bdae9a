package org.rlhf4j.data.label;

import java.time.Instant;

/**
 * One rater's judgement of one pairwise item.
 *
 * <p>{@code choice} is always in the item's own terms (A = the item's first response), whatever order
 * the interface displayed them in; {@code shownSwapped} records that B was displayed first, for
 * position-bias analysis. Use {@link #fromDisplayed} to convert a choice made on screen.
 * {@code strength} is 0 when unspecified, else 1 (slightly) .. 3 (much better).
 */
public record PairwiseLabel(String itemId, String raterId, Choice choice, int strength, boolean shownSwapped, Instant at) {
  public PairwiseLabel {
    Validate.id(itemId, "PairwiseLabel.itemId");
    Validate.id(raterId, "PairwiseLabel.raterId");
    Validate.notNull(choice, "PairwiseLabel.choice");
    Validate.notNull(at, "PairwiseLabel.at");
    if (strength < 0 || strength > 3) {
      throw new IllegalArgumentException("PairwiseLabel.strength must be 0 (unspecified) or 1..3 but was " + strength);
    }
  }

  /**
   * A label from the choice the rater made on screen, where "A" meant the response displayed first.
   * When {@code shownSwapped}, the displayed first response was the item's B, so the choice is swapped back.
   */
  public static PairwiseLabel fromDisplayed(String itemId, String raterId, Choice displayedChoice, int strength,
      boolean shownSwapped, Instant at) {
    Validate.notNull(displayedChoice, "PairwiseLabel.choice");
    Choice choice = shownSwapped ? displayedChoice.swapped() : displayedChoice;
    return new PairwiseLabel(itemId, raterId, choice, strength, shownSwapped, at);
  }

  /** The choice as the rater saw it on screen ("A" = the response displayed first). */
  public Choice displayedChoice() { return shownSwapped ? choice.swapped() : choice; }
}

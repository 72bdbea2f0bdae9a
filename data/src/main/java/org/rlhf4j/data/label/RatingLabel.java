package org.rlhf4j.data.label;

import java.time.Instant;

/** One rater's Likert score of one item, 1 (worst) .. 7 (best). */
public record RatingLabel(String itemId, String raterId, int score, Instant at) {
  public static final int MIN_SCORE = 1;
  public static final int MAX_SCORE = 7;

  public RatingLabel {
    Validate.id(itemId, "RatingLabel.itemId");
    Validate.id(raterId, "RatingLabel.raterId");
    Validate.notNull(at, "RatingLabel.at");
    if (score < MIN_SCORE || score > MAX_SCORE) {
      throw new IllegalArgumentException("RatingLabel.score must be in 1..7 but was " + score);
    }
  }
}

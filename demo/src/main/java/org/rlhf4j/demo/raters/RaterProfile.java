package org.rlhf4j.demo.raters;

/**
 * One simulated annotator.
 *
 * @param id           the rater id written into labels
 * @param flipRate     probability in [0, 0.5] that a decided A/B choice is flipped (AlpacaFarm used 0.25)
 * @param lengthBias   in [-2, 2]: how much the rater likes length, in gold-score points per 10 words of difference
 *                     (0 = none; 1 = ten extra words are worth a whole gold point)
 * @param positionBias probability in [0, 1] that the rater just picks the response displayed first
 * @param unreliable   a near-random rater: picks A or B at random, ignoring the responses
 */
public record RaterProfile(String id, double flipRate, double lengthBias, double positionBias, boolean unreliable) {
  public RaterProfile {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("RaterProfile.id must not be blank");
    check("flipRate", flipRate, 0, 0.5, id);
    check("lengthBias", lengthBias, -2, 2, id);
    check("positionBias", positionBias, 0, 1, id);
  }

  /** A rater who follows the gold preference except for {@code flipRate} random flips. */
  public static RaterProfile noisy(String id, double flipRate) {
    return new RaterProfile(id, flipRate, 0, 0, false);
  }

  private static void check(String field, double value, double min, double max, String id) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "RaterProfile." + field + " must be in [" + min + ", " + max + "] but was " + value + " (rater " + id + ")");
    }
  }
}

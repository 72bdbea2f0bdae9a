package org.rlhf4j.demo.raters;

import java.time.Instant;
import java.util.SplittableRandom;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.PairwiseLabel;

/**
 * How one {@link RaterProfile} labels an item. The pair is shown in random order. An unreliable rater picks at
 * random; otherwise, with probability {@code positionBias} the rater picks whatever is shown first, else compares
 * perceived quality {@code gold + lengthBias * words / 10} (within {@link #TIE_MARGIN}: a tie); then a decided
 * choice is flipped with probability {@code flipRate}. Strength grows with the perceived difference.
 */
final class SimulatedRater {
  static final double TIE_MARGIN = 0.05;

  private final RaterProfile profile;

  SimulatedRater(RaterProfile profile) { this.profile = profile; }

  RaterProfile profile() { return profile; }

  PairwiseLabel rate(ComparisonItem item, SplittableRandom rnd, Instant at) {
    boolean swapped = rnd.nextBoolean();
    if (profile.unreliable()) {
      return new PairwiseLabel(item.id(), profile.id(), rnd.nextBoolean() ? Choice.A : Choice.B,
          1 + rnd.nextInt(3), swapped, at);
    }
    if (rnd.nextDouble() < profile.positionBias()) {
      return PairwiseLabel.fromDisplayed(item.id(), profile.id(), Choice.A, 1, swapped, at);
    }
    double diff = perceived(item.goldA(), item.responseA()) - perceived(item.goldB(), item.responseB());
    if (Math.abs(diff) < TIE_MARGIN) return new PairwiseLabel(item.id(), profile.id(), Choice.TIE, 0, swapped, at);
    Choice choice = diff > 0 ? Choice.A : Choice.B;
    if (rnd.nextDouble() < profile.flipRate()) choice = choice.swapped();
    return new PairwiseLabel(item.id(), profile.id(), choice, strength(Math.abs(diff)), swapped, at);
  }

  private double perceived(double gold, String response) {
    return gold + profile.lengthBias() * words(response) / 10.0;
  }

  private static int strength(double diff) {
    return diff < 0.3 ? 1 : diff < 0.8 ? 2 : 3;
  }

  static int words(String text) { return text.isBlank() ? 0 : text.trim().split("\\s+").length; }
}

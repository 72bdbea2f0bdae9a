package org.rlhf4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Small dataset utilities. */
public final class Datasets {
  private Datasets() {}

  /** A train/test partition. */
  public record Split<T>(List<T> train, List<T> test) {
    public Split {
      train = List.copyOf(train);
      test = List.copyOf(test);
    }
  }

  /**
   * A reproducible random split: the rows are shuffled with {@code new Random(seed)} and the first
   * round(n * testFraction) become the test set. Same rows + same seed = same split.
   */
  public static <T> Split<T> split(List<T> rows, double testFraction, long seed) {
    if (!(testFraction >= 0 && testFraction <= 1)) {
      throw new IllegalArgumentException("testFraction must be in [0, 1] but was " + testFraction);
    }
    List<T> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(seed));
    int nTest = (int) Math.round(rows.size() * testFraction);
    return new Split<>(shuffled.subList(nTest, shuffled.size()), shuffled.subList(0, nTest));
  }
}

package org.rlhf4j.training.batch;

import java.util.Arrays;

/**
 * One training row before padding: token ids and a loss mask of the same length (1 where the
 * token is a target the model must learn to predict, 0 for prompt tokens).
 */
public record Row(int[] ids, int[] lossMask) {
  public Row {
    if (ids == null || lossMask == null) throw new IllegalArgumentException("Row: ids and lossMask are required");
    if (ids.length != lossMask.length) {
      throw new IllegalArgumentException("Row: ids has " + ids.length + " tokens but lossMask " + lossMask.length);
    }
    if (ids.length == 0) throw new IllegalArgumentException("Row: ids must not be empty");
  }

  /** A row where every token is a target (pre-training text). */
  public static Row allTargets(int[] ids) {
    int[] m = new int[ids.length];
    Arrays.fill(m, 1);
    return new Row(ids, m);
  }

  public int length() { return ids.length; }

  /** Number of target tokens. */
  public int targets() { return Arrays.stream(lossMask).sum(); }

  @Override public boolean equals(Object o) {
    return o instanceof Row r && Arrays.equals(ids, r.ids) && Arrays.equals(lossMask, r.lossMask);
  }

  @Override public int hashCode() { return 31 * Arrays.hashCode(ids) + Arrays.hashCode(lossMask); }

  @Override public String toString() { return "Row" + Arrays.toString(ids) + " mask " + Arrays.toString(lossMask); }
}

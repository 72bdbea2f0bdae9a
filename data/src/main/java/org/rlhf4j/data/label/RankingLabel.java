package org.rlhf4j.data.label;

import java.time.Instant;
import java.util.List;

/**
 * One rater's ranking of an item's K >= 2 responses: {@code orderBestFirst} holds indices into the
 * item's responses, best first, and must be a permutation of 0..K-1.
 */
public record RankingLabel(String itemId, String raterId, List<Integer> orderBestFirst, Instant at) {
  public RankingLabel {
    Validate.id(itemId, "RankingLabel.itemId");
    Validate.id(raterId, "RankingLabel.raterId");
    Validate.notNull(at, "RankingLabel.at");
    Validate.notNull(orderBestFirst, "RankingLabel.orderBestFirst");
    orderBestFirst = List.copyOf(orderBestFirst);
    checkPermutation(orderBestFirst);
  }

  private static void checkPermutation(List<Integer> order) {
    int k = order.size();
    if (k < 2) throw new IllegalArgumentException("RankingLabel.orderBestFirst needs at least 2 indices but has " + k);
    boolean[] seen = new boolean[k];
    for (int index : order) {
      if (index < 0 || index >= k || seen[index]) {
        throw new IllegalArgumentException("RankingLabel.orderBestFirst must be a permutation of 0.." + (k - 1) + " but was " + order);
      }
      seen[index] = true;
    }
  }
}

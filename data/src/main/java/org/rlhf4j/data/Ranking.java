package org.rlhf4j.data;

import java.util.ArrayList;
import java.util.List;

/** K >= 2 responses to one prompt, ordered best first. */
public record Ranking(Content prompt, List<Content> bestFirst) {
  public Ranking {
    Checks.notNull(prompt, "Ranking.prompt");
    if (bestFirst == null) throw new IllegalArgumentException("Ranking.bestFirst must not be null");
    if (bestFirst.stream().anyMatch(java.util.Objects::isNull)) throw new IllegalArgumentException("Ranking.bestFirst must not contain null");
    if (bestFirst.size() < 2) {
      throw new IllegalArgumentException("Ranking.bestFirst needs at least 2 responses but has " + bestFirst.size());
    }
    bestFirst = List.copyOf(bestFirst);
  }

  /** Number of ranked responses K. */
  public int size() { return bestFirst.size(); }

  /**
   * All K(K-1)/2 hard-labelled pairs implied by the order: for i < j, response i is chosen over j.
   * Order: (0,1), (0,2), ..., (0,K-1), (1,2), ...
   */
  public List<PreferencePair> toPairs() {
    int k = bestFirst.size();
    List<PreferencePair> pairs = new ArrayList<>(k * (k - 1) / 2);
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        pairs.add(PreferencePair.of(prompt, bestFirst.get(i), bestFirst.get(j)));
      }
    }
    return pairs;
  }
}

package org.rlhf4j.data.agreement;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The squared difference function delta^2(a, b) of Krippendorff's alpha: 0 for identical values,
 * larger for values further apart, symmetric.
 */
@FunctionalInterface
public interface Distance<V> {
  double squared(V a, V b);

  /** Nominal: 0 when equal, else 1. */
  static <V> Distance<V> nominal() { return (a, b) -> Objects.equals(a, b) ? 0.0 : 1.0; }

  /** Interval: (a - b)^2. */
  static Distance<Number> interval() {
    return (a, b) -> {
      double d = a.doubleValue() - b.doubleValue();
      return d * d;
    };
  }

  /**
   * Rankings (each a permutation of the same item indices, best first): the normalised Kendall tau
   * distance, i.e. the fraction of the K(K-1)/2 item pairs the two rankings order differently, in [0, 1].
   * It is used as delta^2 directly (not squared again), exactly as the nominal 0/1 disagreement is, so
   * that for K = 2 rankings alpha with this distance equals nominal alpha. Rankings of different item
   * sets are rejected.
   */
  static Distance<List<Integer>> ranking() { return Distance::kendallTau; }

  private static double kendallTau(List<Integer> a, List<Integer> b) {
    if (a.size() != b.size() || !new HashSet<>(a).equals(new HashSet<>(b)) || new HashSet<>(a).size() != a.size()) {
      throw new IllegalArgumentException("rankings must be permutations of the same items: " + a + " vs " + b);
    }
    int k = a.size();
    if (k < 2) return 0.0;
    java.util.Map<Integer, Integer> posB = new java.util.HashMap<>();
    for (int i = 0; i < k; i++) posB.put(b.get(i), i);
    int discordant = 0;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        // a puts a[i] before a[j]; discordant when b puts a[j] first
        if (posB.get(a.get(i)) > posB.get(a.get(j))) discordant++;
      }
    }
    return discordant / (k * (k - 1) / 2.0);
  }
}

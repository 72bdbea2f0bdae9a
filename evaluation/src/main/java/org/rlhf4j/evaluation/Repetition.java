package org.rlhf4j.evaluation;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Repetition of a response: the fraction of its n-grams that repeat an n-gram seen earlier in the same response,
 * {@code (count - distinct) / count}, in [0, 1). 0 for a response with fewer than n tokens. This is the
 * {@code response_repetition} metric the run doctor reads (log the mean over a batch's responses).
 */
public final class Repetition {
  private Repetition() {}

  /** Repeated n-gram fraction of one token sequence. */
  public static double fraction(int[] tokens, int n) {
    Objects.requireNonNull(tokens, "tokens");
    if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
    int count = tokens.length - n + 1;
    if (count <= 0) return 0;
    Set<List<Integer>> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Integer[] gram = new Integer[n];
      for (int k = 0; k < n; k++) gram[k] = tokens[i + k];
      seen.add(List.of(gram));
    }
    return (double) (count - seen.size()) / count;
  }

  /** Repeated n-gram fraction of a text's whitespace-separated words. */
  public static double fraction(String text, int n) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    if (t.isEmpty()) return 0;
    String[] words = t.split("\\s+");
    int[] ids = new int[words.length];
    java.util.Map<String, Integer> vocab = new java.util.HashMap<>();
    for (int i = 0; i < words.length; i++) ids[i] = vocab.computeIfAbsent(words[i], w -> vocab.size());
    return fraction(ids, n);
  }

  /** Mean repeated n-gram fraction over a batch of responses (0 for an empty batch). */
  public static double mean(List<int[]> responses, int n) {
    return responses.stream().mapToDouble(r -> fraction(r, n)).average().orElse(0);
  }
}

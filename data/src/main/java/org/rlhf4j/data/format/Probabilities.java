package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Soft preference labels and index lists read from records. */
final class Probabilities {
  private Probabilities() {}

  /**
   * P(chosen preferred) of a preference record: {@code "chosen_probability": p} with p in [0, 1], or
   * {@code "votes": {"chosen": n, "rejected": m}} giving n / (n + m); 1.0 (a hard label) when neither is present.
   */
  static double chosen(JsonNode row) {
    boolean hasP = Json.has(row, "chosen_probability");
    boolean hasVotes = Json.has(row, "votes");
    if (hasP && hasVotes) throw new IllegalArgumentException("give either 'chosen_probability' or 'votes', not both");
    if (hasP) {
      JsonNode p = row.get("chosen_probability");
      if (!p.isNumber() || !(p.doubleValue() >= 0 && p.doubleValue() <= 1)) {
        throw new IllegalArgumentException("field 'chosen_probability' must be a number in [0, 1] but is " + p);
      }
      return p.doubleValue();
    }
    if (hasVotes) {
      JsonNode v = row.get("votes");
      if (!v.isObject()) throw new IllegalArgumentException("field 'votes' must be an object {\"chosen\": n, \"rejected\": m}");
      long chosen = count(v, "chosen");
      long rejected = count(v, "rejected");
      if (chosen + rejected == 0) throw new IllegalArgumentException("field 'votes' has no votes");
      return (double) chosen / (chosen + rejected);
    }
    return 1.0;
  }

  private static long count(JsonNode votes, String name) {
    JsonNode n = votes.get(name);
    if (n == null || !n.canConvertToExactIntegral() || n.asLong() < 0) {
      throw new IllegalArgumentException("field 'votes." + name + "' must be a whole number >= 0 but is " + n);
    }
    return n.asLong();
  }

  /** A list of indices that must be a permutation of 0..k-1. */
  static List<Integer> permutation(JsonNode node, int k) {
    if (!node.isArray() || node.size() != k) {
      throw new IllegalArgumentException("field 'ranking' must list all " + k + " response indices best first but is " + node);
    }
    boolean[] seen = new boolean[k];
    List<Integer> out = new ArrayList<>(k);
    for (JsonNode i : node) {
      if (!i.isIntegralNumber() || i.asInt() < 0 || i.asInt() >= k || seen[i.asInt()]) {
        throw new IllegalArgumentException("field 'ranking' must be a permutation of 0.." + (k - 1) + " but is " + node);
      }
      seen[i.asInt()] = true;
      out.add(i.asInt());
    }
    return out;
  }
}

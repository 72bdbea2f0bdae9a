package org.rlhf4j.privacy.anon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one quasi-identifier generalises, level 0 (the value itself) to {@link #levels()} − 1 (fully generalised,
 * {@code *}), and how much information each generalised value loses ({@link #loss}: NCP, Xu et al. 2006 — 0 for the
 * exact value, 1 for {@code *}).
 */
public sealed interface Hierarchy permits Hierarchy.Interval, Hierarchy.Prefix, Hierarchy.Tree, Hierarchy.Flat {
  String ANY = "*";

  int levels();

  /** {@code value} at {@code level}; an error names the value when it cannot be generalised. */
  String generalise(String value, int level);

  /** The normalised certainty penalty of {@code value} at {@code level}, in [0, 1]. */
  double loss(String value, int level);

  /** Numbers into intervals of growing width ({@code widths}, e.g. 5, 10, 20), aligned at 0: 37 → "35-39" at width 5. */
  record Interval(List<Integer> widths, double min, double max) implements Hierarchy {
    public Interval {
      widths = List.copyOf(widths);
      for (int i = 0; i < widths.size(); i++) {
        if (widths.get(i) <= 0 || (i > 0 && widths.get(i) <= widths.get(i - 1))) throw new IllegalArgumentException("interval widths must be positive and increasing: " + widths);
      }
      if (!(max > min)) throw new IllegalArgumentException("interval hierarchy needs the column's range (max > min)");
    }

    @Override public int levels() { return widths.size() + 2; }

    @Override public String generalise(String value, int level) {
      if (level == 0) return value;
      if (level > widths.size()) return ANY;
      long w = widths.get(level - 1);
      long v = (long) Math.floor(number(value));
      long lo = Math.floorDiv(v, w) * w;
      return lo + "-" + (lo + w - 1);
    }

    @Override public double loss(String value, int level) {
      if (level == 0) return 0;
      if (level > widths.size()) return 1;
      return Math.min(1, (widths.get(level - 1) - 1) / (max - min));
    }

    private static double number(String v) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + v + "' is not a number (interval hierarchy)");
      }
    }
  }

  /** Codes (ZIP) by masking trailing characters: 12345 → 1234* → 123** → ... → *. */
  record Prefix(int length) implements Hierarchy {
    public Prefix {
      if (length <= 0) throw new IllegalArgumentException("prefix hierarchy needs a positive code length");
    }

    @Override public int levels() { return length + 1; }

    @Override public String generalise(String value, int level) {
      if (level == 0) return value;
      if (level >= length) return ANY;
      int keep = Math.max(0, value.length() - level);
      return value.substring(0, keep) + "*".repeat(value.length() - keep);
    }

    @Override public double loss(String value, int level) { return level >= length ? 1 : level / (double) length; }
  }

  /**
   * Categories by a tree given as child → parent ({@code Bachelors: Higher-ed, Higher-ed: *}); a value's level-L
   * generalisation is its L-th ancestor ({@code *} past the root). NCP = (leaves under the ancestor − 1) / (leaves − 1).
   */
  record Tree(Map<String, String> parents, int levels, Map<String, Integer> leavesUnder, int leaves) implements Hierarchy {
    public static Tree of(Map<String, String> parents) {
      Map<String, Integer> under = new HashMap<>();
      int depth = 0;
      int leafCount = 0;
      for (String child : parents.keySet()) {
        if (parents.containsValue(child)) continue; // an inner node
        leafCount++;
        int d = 0;
        String at = child;
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (at != null && !at.equals(ANY)) {
          if (!seen.add(at)) throw new IllegalArgumentException("generalisation tree has a cycle through '" + at + "'");
          under.merge(at, 1, Integer::sum);
          at = parents.get(at);
          d++;
        }
        depth = Math.max(depth, d);
      }
      return new Tree(Map.copyOf(parents), depth + 1, Map.copyOf(under), leafCount);
    }

    @Override public String generalise(String value, int level) {
      if (!parents.containsKey(value)) throw new IllegalArgumentException("value '" + value + "' is not in the generalisation tree");
      String at = value;
      for (int i = 0; i < level && !at.equals(ANY); i++) at = parents.getOrDefault(at, ANY);
      return at;
    }

    @Override public double loss(String value, int level) {
      String g = generalise(value, level);
      if (g.equals(ANY)) return 1;
      return leaves <= 1 ? 0 : (leavesUnder.getOrDefault(g, 1) - 1) / (double) (leaves - 1);
    }
  }

  /** No hierarchy given: the value, or {@code *}. */
  record Flat() implements Hierarchy {
    @Override public int levels() { return 2; }

    @Override public String generalise(String value, int level) { return level == 0 ? value : ANY; }

    @Override public double loss(String value, int level) { return level == 0 ? 0 : 1; }
  }
}

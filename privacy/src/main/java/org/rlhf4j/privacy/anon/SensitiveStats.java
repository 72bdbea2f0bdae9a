package org.rlhf4j.privacy.anon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Per-class statistics of the sensitive attribute, and the checks an anonymised table must pass. */
public final class SensitiveStats {
  private SensitiveStats() {}

  /** Distinct sensitive values in a class's histogram. */
  static int distinct(int[] hist) {
    int d = 0;
    for (int h : hist) if (h > 0) d++;
    return d;
  }

  /** The distribution of sensitive codes over all rows. */
  static double[] distribution(int[] sensitive, int values) {
    double[] p = new double[values];
    for (int s : sensitive) p[s]++;
    for (int i = 0; i < values; i++) p[i] /= sensitive.length;
    return p;
  }

  /**
   * Earth mover's distance with equal ground distance between a class (histogram of {@code size} rows) and the
   * table: the total variation ½ Σ |p − q| (Li, Li &amp; Venkatasubramanian, "t-Closeness", ICDE 2007).
   */
  static double variationalDistance(int[] hist, int size, double[] global) {
    double d = 0;
    for (int i = 0; i < hist.length; i++) d += Math.abs(hist[i] / (double) size - global[i]);
    return d / 2;
  }

  /** What a table achieves over {@code quasi}: smallest class, fewest distinct sensitive values in a class. */
  public record Check(int classes, int minClassSize, int minDistinctSensitive) {}

  /** Groups {@code table} by its (already generalised) quasi-identifier values; independent of the anonymiser. */
  public static Check check(Table table, List<String> quasi, String sensitive) {
    int[] qi = quasi.stream().mapToInt(table::index).toArray();
    int s = sensitive == null ? -1 : table.index(sensitive);
    Map<List<String>, Set<String>> values = new HashMap<>();
    Map<List<String>, Integer> sizes = new HashMap<>();
    for (String[] row : table.rows()) {
      List<String> key = new java.util.ArrayList<>();
      for (int i : qi) key.add(row[i]);
      sizes.merge(key, 1, Integer::sum);
      values.computeIfAbsent(key, x -> new HashSet<>()).add(s < 0 ? "" : row[s]);
    }
    int min = sizes.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    int minL = values.values().stream().mapToInt(Set::size).min().orElse(0);
    return new Check(sizes.size(), min, minL);
  }
}

package org.rlhf4j.privacy.anon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-domain generalisation with suppression, as ARX and Incognito do it (LeFevre, DeWitt &amp; Ramakrishnan 2005):
 * every node of the generalisation lattice (one level per quasi-identifier) is evaluated; rows in equivalence classes
 * that break k-anonymity, distinct l-diversity or t-closeness are suppressed; a node is feasible when at most
 * {@code maxSuppression} of the rows go. The feasible node of least information loss wins — loss is the mean
 * normalised certainty penalty over all quasi-identifier cells (NCP / GCP, Xu et al. 2006; a suppressed row's cells
 * count 1), ties broken by the lower total level. Exhaustive: lattices of a few thousand nodes take seconds.
 */
public final class Anonymizer {
  /** The chosen node and what it achieved. */
  public record Result(Table table, Map<String, Integer> levels, int classes, int suppressed, int rows, double ncp,
      long discernibility, int minClassSize, int minDistinctSensitive, double maxTCloseness, int nodesEvaluated) {
    public double suppressedFraction() { return rows == 0 ? 0 : suppressed / (double) rows; }
  }

  private Anonymizer() {}

  public static Result anonymize(Table table, Map<String, Hierarchy> hierarchies, AnonymityConfig cfg) {
    int n = table.rows().size();
    if (cfg.k() > n) throw new IllegalArgumentException("k = " + cfg.k() + " is larger than the table (" + n + " rows)");
    int[] qi = cfg.quasi().stream().mapToInt(table::index).toArray();
    int sens = cfg.sensitive() == null ? -1 : table.index(cfg.sensitive());
    List<Hierarchy> hs = cfg.quasi().stream().map(hierarchies::get).toList();
    Coded coded = Coded.of(table, qi, hs, sens);
    int[] sizes = hs.stream().mapToInt(Hierarchy::levels).toArray();
    Evaluation best = null;
    int evaluated = 0;
    for (int[] node : lattice(sizes)) {
      Evaluation e = coded.evaluate(node, cfg);
      evaluated++;
      if (e.suppressed > cfg.maxSuppression() * n) continue;
      if (best == null || e.ncp < best.ncp - 1e-12 || (Math.abs(e.ncp - best.ncp) <= 1e-12 && sum(node) < sum(best.node))) best = e;
    }
    if (best == null) {
      throw new IllegalArgumentException("no generalisation reaches k = " + cfg.k() + (cfg.l() > 1 ? ", l = " + cfg.l() : "")
          + (cfg.t() < 1 ? ", t = " + cfg.t() : "") + " with at most " + Math.round(100 * cfg.maxSuppression()) + "% of rows suppressed");
    }
    return result(table, qi, hs, best, evaluated);
  }

  private static Result result(Table table, int[] qi, List<Hierarchy> hs, Evaluation e, int evaluated) {
    List<String[]> rows = new ArrayList<>();
    for (int r = 0; r < table.rows().size(); r++) {
      if (e.suppressedRow[r]) continue;
      String[] row = table.rows().get(r).clone();
      for (int j = 0; j < qi.length; j++) row[qi[j]] = hs.get(j).generalise(row[qi[j]], e.node[j]);
      rows.add(row);
    }
    Map<String, Integer> levels = new java.util.LinkedHashMap<>();
    for (int j = 0; j < qi.length; j++) levels.put(table.columns().get(qi[j]), e.node[j]);
    return new Result(new Table(table.columns(), rows), levels, e.classes, e.suppressed, table.rows().size(), e.ncp, e.discernibility,
        e.minClass, e.minDistinct, e.maxT, evaluated);
  }

  private static int sum(int[] a) {
    int s = 0;
    for (int x : a) s += x;
    return s;
  }

  /** Every level combination, mixed-radix order. */
  static List<int[]> lattice(int[] sizes) {
    List<int[]> out = new ArrayList<>();
    int[] node = new int[sizes.length];
    while (true) {
      out.add(node.clone());
      int i = 0;
      while (i < sizes.length && ++node[i] == sizes[i]) node[i++] = 0;
      if (i == sizes.length) return out;
    }
  }

  private record Evaluation(int[] node, boolean[] suppressedRow, int suppressed, int classes, double ncp, long discernibility,
      int minClass, int minDistinct, double maxT) {}

  /** The table with each quasi-identifier's generalisation at every level precomputed as integer codes. */
  private record Coded(int rows, int[][][] codes, int[][] radix, double[][][] loss, int[] sensitive, int sensitiveValues) {
    static Coded of(Table table, int[] qi, List<Hierarchy> hs, int sens) {
      int n = table.rows().size();
      int[][][] codes = new int[qi.length][][];
      int[][] radix = new int[qi.length][];
      double[][][] loss = new double[qi.length][][];
      for (int j = 0; j < qi.length; j++) {
        Hierarchy h = hs.get(j);
        codes[j] = new int[h.levels()][n];
        radix[j] = new int[h.levels()];
        loss[j] = new double[h.levels()][n];
        for (int lv = 0; lv < h.levels(); lv++) {
          Map<String, Integer> dict = new HashMap<>();
          Map<String, Double> lossOf = new HashMap<>();
          for (int r = 0; r < n; r++) {
            String v = table.rows().get(r)[qi[j]];
            final int level = lv;
            String g;
            try {
              g = h.generalise(v, level);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(table.columns().get(qi[j]) + ", row " + (r + 1) + ": " + e.getMessage());
            }
            codes[j][lv][r] = dict.computeIfAbsent(g, x -> dict.size());
            loss[j][lv][r] = lossOf.computeIfAbsent(v, x -> h.loss(x, level));
          }
          radix[j][lv] = dict.size();
        }
      }
      int[] s = null;
      int sv = 0;
      if (sens >= 0) {
        Map<String, Integer> dict = new HashMap<>();
        s = new int[n];
        for (int r = 0; r < n; r++) s[r] = dict.computeIfAbsent(table.rows().get(r)[sens], x -> dict.size());
        sv = dict.size();
      }
      return new Coded(n, codes, radix, loss, s, sv);
    }

    Evaluation evaluate(int[] node, AnonymityConfig cfg) {
      int[] classOf = new int[rows];
      int c = 0;
      Map<Object, Integer> ids = new HashMap<>();
      double span = 1;
      for (int j = 0; j < node.length; j++) span *= radix[j][node[j]];
      boolean fits = span < 0x1p62; // the mixed-radix key of the generalised values fits in a long
      for (int r = 0; r < rows; r++) {
        Object key;
        if (fits) {
          long k = 0;
          for (int j = 0; j < node.length; j++) k = k * radix[j][node[j]] + codes[j][node[j]][r];
          key = k;
        } else {
          List<Integer> k = new ArrayList<>(node.length);
          for (int j = 0; j < node.length; j++) k.add(codes[j][node[j]][r]);
          key = k;
        }
        Integer id = ids.get(key);
        if (id == null) ids.put(key, id = c++);
        classOf[r] = id;
      }
      int[] size = new int[c];
      for (int r = 0; r < rows; r++) size[classOf[r]]++;
      int[][] hist = sensitive == null ? null : new int[c][sensitiveValues];
      if (hist != null) for (int r = 0; r < rows; r++) hist[classOf[r]][sensitive[r]]++;
      double[] global = sensitive == null ? null : SensitiveStats.distribution(sensitive, sensitiveValues);
      boolean[] badClass = new boolean[c];
      int kept = 0;
      int minClass = Integer.MAX_VALUE;
      int minDistinct = Integer.MAX_VALUE;
      double maxT = 0;
      long dm = 0;
      for (int k = 0; k < c; k++) {
        int distinct = hist == null ? Integer.MAX_VALUE : SensitiveStats.distinct(hist[k]);
        double t = hist == null ? 0 : SensitiveStats.variationalDistance(hist[k], size[k], global);
        if (size[k] < cfg.k() || distinct < cfg.l() || t > cfg.t()) {
          badClass[k] = true;
          continue;
        }
        kept++;
        minClass = Math.min(minClass, size[k]);
        minDistinct = Math.min(minDistinct, distinct);
        maxT = Math.max(maxT, t);
        dm += (long) size[k] * size[k];
      }
      boolean[] suppressedRow = new boolean[rows];
      int suppressed = 0;
      double ncp = 0;
      for (int r = 0; r < rows; r++) {
        if (badClass[classOf[r]]) {
          suppressedRow[r] = true;
          suppressed++;
          ncp += node.length;
        } else {
          for (int j = 0; j < node.length; j++) ncp += loss[j][node[j]][r];
        }
      }
      dm += (long) suppressed * rows;
      ncp /= (double) rows * node.length;
      return new Evaluation(node, suppressedRow, suppressed, kept, ncp, dm, kept == 0 ? 0 : minClass,
          sensitive == null || kept == 0 ? 0 : minDistinct, maxT);
    }
  }
}

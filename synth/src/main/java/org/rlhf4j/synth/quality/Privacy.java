package org.rlhf4j.synth.quality;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

/**
 * Privacy checks of a synthetic table against the real training table, with a real hold-out as the baseline:
 * <ul>
 *   <li>exact-copy rate: the share of synthetic rows equal, in every column, to some training row (the hold-out's
 *       rate beside it: real tables repeat rows too);</li>
 *   <li>distance to closest record (DCR): for each synthetic row, the Gower distance (numeric columns as absolute
 *       differences over the training range, categorical ones as 0/1 mismatches, averaged) to its nearest training
 *       row; compared with the hold-out's DCR to the same training rows. A synthetic median below the hold-out's
 *       means the synthesizer sits closer to its training rows than new real rows do;</li>
 *   <li>a distance-based membership-inference attack: training rows (members) and hold-out rows (non-members)
 *       are scored by how close their nearest synthetic row is; AUC 0.5 means the synthetic data do not tell them apart.</li>
 * </ul>
 * Rows are subsampled to {@code maxRows} per side (the nearest-neighbour search is quadratic). Pure Java.
 */
public final class Privacy {
  private Privacy() {}

  public record Result(double exactCopyRate, double holdoutExactCopyRate, double dcrMedian, double holdoutDcrMedian,
      double dcrP5, double holdoutDcrP5, double membershipAuc, int rows) {}

  public static Result of(Table train, Table synth, Table holdout, int maxRows, long seed) {
    Random rng = new Random(seed);
    Gower g = new Gower(train);
    Table s = sample(synth, maxRows, rng), h = sample(holdout, maxRows, rng), members = sample(train, maxRows, rng);
    double[] dcr = g.nearest(s, train), base = g.nearest(h, train);
    double[] memberScore = g.nearest(members, synth), nonMemberScore = g.nearest(h, synth);
    for (int i = 0; i < memberScore.length; i++) memberScore[i] = -memberScore[i]; // closer = more likely a member
    for (int i = 0; i < nonMemberScore.length; i++) nonMemberScore[i] = -nonMemberScore[i];
    return new Result(exactCopyRate(train, synth), exactCopyRate(train, holdout), median(dcr), median(base),
        quantile(dcr, 0.05), quantile(base, 0.05), auc(memberScore, nonMemberScore), s.rows());
  }

  /** The share of {@code query} rows equal in every column to some {@code reference} row. */
  public static double exactCopyRate(Table reference, Table query) {
    Set<String> rows = new HashSet<>();
    for (int r = 0; r < reference.rows(); r++) rows.add(key(reference, r));
    long copies = IntStream.range(0, query.rows()).filter(r -> rows.contains(key(query, r))).count();
    return (double) copies / query.rows();
  }

  private static String key(Table t, int r) {
    StringBuilder b = new StringBuilder();
    for (Column c : t.columns()) b.append(c.text(r, "\u0000NaN")).append('\u0001');
    return b.toString();
  }

  /** The Gower distance with the numeric ranges of one (training) table. */
  public static final class Gower {
    private final double[] range;

    public Gower(Table train) {
      range = new double[train.schema().size()];
      for (int j = 0; j < range.length; j++) {
        if (train.column(j) instanceof Column.Numeric n) {
          double[] p = Fidelity.present(n.values());
          double lo = Arrays.stream(p).min().orElse(0), hi = Arrays.stream(p).max().orElse(0);
          range[j] = hi > lo ? hi - lo : 1;
        }
      }
    }

    /** For each row of {@code query}, the distance to its nearest row of {@code reference}. */
    public double[] nearest(Table query, Table reference) {
      Encoded q = new Encoded(query, reference), ref = new Encoded(reference, reference);
      return IntStream.range(0, query.rows()).parallel().mapToDouble(i -> {
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < reference.rows(); k++) best = Math.min(best, distance(q, i, ref, k, best));
        return best;
      }).toArray();
    }

    /** The distance between row i of a and row k of b (stops early once it exceeds {@code bound}). */
    private double distance(Encoded a, int i, Encoded b, int k, double bound) {
      int m = range.length;
      double s = 0, limit = bound * m;
      for (int j = 0; j < m && s <= limit; j++) {
        if (a.numeric[j] != null) {
          double x = a.numeric[j][i], y = b.numeric[j][k];
          boolean nx = Double.isNaN(x), ny = Double.isNaN(y);
          s += nx || ny ? (nx == ny ? 0 : 1) : Math.min(1, Math.abs(x - y) / range[j]);
        } else {
          s += a.codes[j][i] == b.codes[j][k] ? 0 : 1;
        }
      }
      return s / m;
    }

    /** Columns as arrays: numbers, or category codes shared with the reference table (unknown categories: -1). */
    private static final class Encoded {
      final double[][] numeric;
      final int[][] codes;

      Encoded(Table t, Table reference) {
        int m = t.schema().size();
        numeric = new double[m][];
        codes = new int[m][];
        for (int j = 0; j < m; j++) {
          if (t.column(j) instanceof Column.Numeric n) {
            numeric[j] = n.values();
          } else {
            java.util.Map<String, Integer> index = new java.util.HashMap<>();
            for (String v : ((Column.Categorical) reference.column(j)).values()) index.putIfAbsent(v, index.size());
            String[] v = ((Column.Categorical) t.column(j)).values();
            codes[j] = new int[v.length];
            for (int r = 0; r < v.length; r++) codes[j][r] = index.getOrDefault(v[r], -1);
          }
        }
      }
    }
  }

  /** P(score of a positive > score of a negative), ties counting half (the Mann-Whitney U statistic over n1 n2). */
  public static double auc(double[] positives, double[] negatives) {
    double[] all = new double[positives.length + negatives.length];
    System.arraycopy(positives, 0, all, 0, positives.length);
    System.arraycopy(negatives, 0, all, positives.length, negatives.length);
    Integer[] order = new Integer[all.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
    double rankSum = 0;
    for (int i = 0; i < order.length;) {
      int j = i;
      while (j + 1 < order.length && all[order[j + 1]] == all[order[i]]) j++;
      double rank = (i + j) / 2.0 + 1; // average rank of the tie group
      for (int k = i; k <= j; k++) if (order[k] < positives.length) rankSum += rank;
      i = j + 1;
    }
    double n1 = positives.length, n2 = negatives.length;
    return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n2);
  }

  static double median(double[] v) { return quantile(v, 0.5); }

  /** The q-quantile with linear interpolation (numpy's default). */
  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int i = (int) Math.floor(pos);
    return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
  }

  private static Table sample(Table t, int max, Random rng) {
    if (t.rows() <= max) return t;
    int[] idx = new int[t.rows()];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    for (int i = 0; i < max; i++) {
      int j = i + rng.nextInt(idx.length - i), tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    return t.select(Arrays.copyOf(idx, max));
  }
}

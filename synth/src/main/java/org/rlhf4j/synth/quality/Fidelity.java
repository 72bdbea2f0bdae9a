package org.rlhf4j.synth.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Table;

/**
 * Fidelity in SDMetrics' terms (its Quality Report): per column, the KS complement (numeric) or total-variation
 * complement (categorical); per pair of columns, the correlation similarity (two numeric columns) or the contingency
 * similarity (any other pair; numeric columns binned into 10 equal-width bins of the real data's range); column
 * shapes and pair trends are the means of those, and the overall score is the mean of the two. Pure Java.
 */
public final class Fidelity {
  private Fidelity() {}

  public record Pair(String a, String b, String metric, double score, double realCorrelation, double synthCorrelation) {}

  public record Result(Map<String, Double> columnShapes, List<Pair> pairTrends, double shapes, double trends, double overall) {}

  public static Result of(Table real, Table synth) {
    if (!real.schema().equals(synth.schema())) throw new IllegalArgumentException("real and synthetic tables have different schemas");
    Map<String, Double> shapes = new LinkedHashMap<>();
    for (int c = 0; c < real.schema().size(); c++) {
      Column r = real.column(c), s = synth.column(c);
      shapes.put(r.name(), r instanceof Column.Numeric rn ? ksComplement(rn.values(), ((Column.Numeric) s).values())
          : tvComplement(((Column.Categorical) r).values(), ((Column.Categorical) s).values()));
    }
    int[][] realCodes = new int[real.schema().size()][], synthCodes = new int[real.schema().size()][];
    for (int c = 0; c < real.schema().size(); c++) {
      int[][] codes = codes(real.column(c), synth.column(c));
      realCodes[c] = codes[0];
      synthCodes[c] = codes[1];
    }
    List<Pair> pairs = new ArrayList<>();
    for (int a = 0; a < real.schema().size(); a++) {
      for (int b = a + 1; b < real.schema().size(); b++) {
        String na = real.schema().column(a).name(), nb = real.schema().column(b).name();
        if (real.schema().column(a) instanceof ColumnSpec.Numeric && real.schema().column(b) instanceof ColumnSpec.Numeric) {
          double rc = pearson(((Column.Numeric) real.column(a)).values(), ((Column.Numeric) real.column(b)).values());
          double sc = pearson(((Column.Numeric) synth.column(a)).values(), ((Column.Numeric) synth.column(b)).values());
          pairs.add(new Pair(na, nb, "CorrelationSimilarity", correlationSimilarity(rc, sc), rc, sc));
        } else {
          pairs.add(new Pair(na, nb, "ContingencySimilarity",
              contingencySimilarity(realCodes[a], realCodes[b], synthCodes[a], synthCodes[b]), Double.NaN, Double.NaN));
        }
      }
    }
    double s = shapes.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double t = pairs.stream().mapToDouble(Pair::score).filter(Double::isFinite).average().orElse(s);
    return new Result(shapes, pairs, s, t, (s + t) / 2);
  }

  /** 1 - the two-sample Kolmogorov-Smirnov statistic (missing values dropped); 1 when either side has no value. */
  public static double ksComplement(double[] real, double[] synth) {
    double[] a = present(real), b = present(synth);
    if (a.length == 0 || b.length == 0) return a.length == b.length ? 1 : 0;
    Arrays.sort(a);
    Arrays.sort(b);
    int i = 0, j = 0;
    double d = 0;
    while (i < a.length && j < b.length) {
      double v = Math.min(a[i], b[j]);
      while (i < a.length && a[i] <= v) i++;
      while (j < b.length && b[j] <= v) j++;
      d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return 1 - d;
  }

  /** 1 - the total-variation distance between the category frequencies: 1 - (1/2) sum |p - q|. */
  public static double tvComplement(String[] real, String[] synth) {
    Map<String, double[]> f = new HashMap<>();
    for (String v : real) f.computeIfAbsent(v, k -> new double[2])[0] += 1.0 / real.length;
    for (String v : synth) f.computeIfAbsent(v, k -> new double[2])[1] += 1.0 / synth.length;
    double tv = 0;
    for (double[] p : f.values()) tv += Math.abs(p[0] - p[1]);
    return 1 - tv / 2;
  }

  /** SDMetrics' CorrelationSimilarity from the two correlations: 1 - |r_real - r_synth| / 2. */
  public static double correlationSimilarity(double realCorrelation, double synthCorrelation) {
    if (!Double.isFinite(realCorrelation) || !Double.isFinite(synthCorrelation)) return Double.NaN;
    return 1 - Math.abs(realCorrelation - synthCorrelation) / 2;
  }

  /** 1 - the total-variation distance between the two joint frequency tables of (a, b) codes. */
  public static double contingencySimilarity(int[] realA, int[] realB, int[] synthA, int[] synthB) {
    Map<Long, double[]> f = new HashMap<>();
    for (int i = 0; i < realA.length; i++) f.computeIfAbsent(key(realA[i], realB[i]), k -> new double[2])[0] += 1.0 / realA.length;
    for (int i = 0; i < synthA.length; i++) f.computeIfAbsent(key(synthA[i], synthB[i]), k -> new double[2])[1] += 1.0 / synthA.length;
    double tv = 0;
    for (double[] p : f.values()) tv += Math.abs(p[0] - p[1]);
    return 1 - tv / 2;
  }

  /** Pearson's correlation over the rows where both values are present (NaN when either side is constant). */
  public static double pearson(double[] x, double[] y) {
    double sx = 0, sy = 0;
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) continue;
      sx += x[i];
      sy += y[i];
      n++;
    }
    double mx = sx / n, my = sy / n, cxy = 0, cxx = 0, cyy = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) continue;
      cxy += (x[i] - mx) * (y[i] - my);
      cxx += (x[i] - mx) * (x[i] - mx);
      cyy += (y[i] - my) * (y[i] - my);
    }
    return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : Double.NaN;
  }

  /**
   * Codes for the contingency tables: categories by their text (shared between the two tables); numeric values into
   * 10 equal-width bins over the real range (values outside go to the end bins), missing values into an 11th.
   */
  static int[][] codes(Column real, Column synth) {
    if (real instanceof Column.Categorical rc) {
      Map<String, Integer> index = new HashMap<>();
      return new int[][] {categoryCodes(rc.values(), index), categoryCodes(((Column.Categorical) synth).values(), index)};
    }
    double[] r = ((Column.Numeric) real).values();
    double[] p = present(r);
    double lo = Arrays.stream(p).min().orElse(0), hi = Arrays.stream(p).max().orElse(1);
    return new int[][] {bins(r, lo, hi), bins(((Column.Numeric) synth).values(), lo, hi)};
  }

  private static int[] categoryCodes(String[] v, Map<String, Integer> index) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) out[i] = index.computeIfAbsent(v[i], k -> index.size());
    return out;
  }

  static int[] bins(double[] v, double lo, double hi) {
    int[] out = new int[v.length];
    double width = hi > lo ? (hi - lo) / 10 : 1;
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.isNaN(v[i]) ? 10 : (int) Math.max(0, Math.min(9, Math.floor((v[i] - lo) / width)));
    }
    return out;
  }

  private static long key(int a, int b) { return ((long) a << 32) | (b & 0xffffffffL); }

  static double[] present(double[] v) { return Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray(); }
}

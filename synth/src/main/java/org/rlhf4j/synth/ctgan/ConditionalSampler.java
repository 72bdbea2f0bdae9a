package org.rlhf4j.synth.ctgan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.synth.table.Table;
import org.rlhf4j.synth.transform.DataTransformer;
import org.rlhf4j.synth.transform.OneHot;

/**
 * CTGAN's conditional vector and training-by-sampling. The conditional vector is the concatenation of one one-hot
 * per discrete column, all zero except the chosen category of the chosen column. For training the column is drawn
 * uniformly and its category with probability proportional to log(1 + count), so rare categories are seen far more
 * often than their frequency; the real rows of a batch are then drawn among the rows holding that category. For
 * generation ({@link #original}) the category follows its frequency in the training data.
 */
public final class ConditionalSampler {
  private final List<OneHot> columns;
  private final int[] condOffsets;
  private final int width;
  private final double[][] logFrequencyCdf, frequencyCdf;
  private final int[][][] rowsByCategory; // [column][category] -> row indices (training only; null for generation)

  /** One batch of conditions: {@code cond} is (B, width) row-major; {@code column[i]}, {@code category[i]} per row. */
  public record Draw(float[] cond, int[] column, int[] category) {}

  private ConditionalSampler(List<OneHot> columns, int[][][] rowsByCategory) {
    this.columns = List.copyOf(columns);
    this.rowsByCategory = rowsByCategory;
    condOffsets = new int[columns.size()];
    int w = 0;
    logFrequencyCdf = new double[columns.size()][];
    frequencyCdf = new double[columns.size()][];
    for (int j = 0; j < columns.size(); j++) {
      condOffsets[j] = w;
      int[] counts = columns.get(j).counts();
      w += counts.length;
      double[] lf = new double[counts.length], f = new double[counts.length];
      for (int k = 0; k < counts.length; k++) {
        lf[k] = Math.log(counts[k] + 1.0);
        f[k] = counts[k];
      }
      logFrequencyCdf[j] = cdf(lf);
      frequencyCdf[j] = cdf(f);
    }
    width = w;
  }

  /** For training on {@code train} (encoded by {@code transformer}): keeps the rows of each category. */
  public static ConditionalSampler forTraining(DataTransformer transformer, Table train) {
    List<OneHot> d = transformer.discrete();
    int[][][] rows = new int[d.size()][][];
    for (int j = 0; j < d.size(); j++) {
      OneHot o = d.get(j);
      int[] codes = o.codes(train.column(o.name()));
      List<List<Integer>> by = new ArrayList<>();
      for (int k = 0; k < o.categories().size(); k++) by.add(new ArrayList<>());
      for (int r = 0; r < codes.length; r++) by.get(codes[r]).add(r);
      rows[j] = new int[by.size()][];
      for (int k = 0; k < by.size(); k++) rows[j][k] = by.get(k).stream().mapToInt(Integer::intValue).toArray();
    }
    return new ConditionalSampler(d, rows);
  }

  /** For generation only (category frequencies from the transformer's training counts). */
  public static ConditionalSampler forGeneration(DataTransformer transformer) {
    return new ConditionalSampler(transformer.discrete(), null);
  }

  /** Floats in a conditional vector (0 when the table has no discrete column). */
  public int width() { return width; }

  public int discreteColumns() { return columns.size(); }

  /** Training conditions: column uniform, category by log-frequency. Null when there is no discrete column. */
  public Draw train(int batch, Random rng) { return draw(batch, rng, logFrequencyCdf); }

  /** Generation conditions: column uniform, category by its training frequency. Null when there is no discrete column. */
  public Draw original(int batch, Random rng) { return draw(batch, rng, frequencyCdf); }

  /**
   * {@code rows} categories of discrete column {@code j} in their training proportions: each category's count is
   * its share of {@code rows}, rounded by largest remainder so they sum to {@code rows}; shuffled.
   */
  public int[] proportional(int j, int rows, Random rng) {
    int[] counts = columns.get(j).counts();
    long total = 0;
    for (int c : counts) total += c;
    int[] n = new int[counts.length];
    double[] rest = new double[counts.length];
    int given = 0;
    for (int k = 0; k < counts.length; k++) {
      double exact = rows * (double) counts[k] / total;
      n[k] = (int) Math.floor(exact);
      rest[k] = exact - n[k];
      given += n[k];
    }
    Integer[] byRest = new Integer[counts.length];
    for (int k = 0; k < counts.length; k++) byRest[k] = k;
    java.util.Arrays.sort(byRest, (a, b) -> Double.compare(rest[b], rest[a]));
    for (int i = 0; given < rows; i++, given++) n[byRest[i % counts.length]]++;
    int[] out = new int[rows];
    for (int k = 0, at = 0; k < counts.length; k++) for (int i = 0; i < n[k]; i++) out[at++] = k;
    for (int i = rows - 1; i > 0; i--) {
      int r = rng.nextInt(i + 1), t = out[i];
      out[i] = out[r];
      out[r] = t;
    }
    return out;
  }

  /**
   * A batch of {@code batch} conditions on column {@code j}: row i gets {@code categories[offset + i]}; rows past the
   * end of {@code categories} (a last, partial batch, whose extra rows are dropped) get a draw by frequency.
   */
  public Draw fixed(int j, int[] categories, int offset, int batch, Random rng) {
    float[] cond = new float[batch * width];
    int[] col = new int[batch], cat = new int[batch];
    for (int i = 0; i < batch; i++) {
      col[i] = j;
      cat[i] = offset + i < categories.length ? categories[offset + i] : pick(frequencyCdf[j], rng.nextDouble());
      cond[i * width + condOffsets[j] + cat[i]] = 1f;
    }
    return new Draw(cond, col, cat);
  }

  private Draw draw(int batch, Random rng, double[][] cdfs) {
    if (columns.isEmpty()) return null;
    float[] cond = new float[batch * width];
    int[] col = new int[batch], cat = new int[batch];
    for (int i = 0; i < batch; i++) {
      col[i] = rng.nextInt(columns.size());
      cat[i] = pick(cdfs[col[i]], rng.nextDouble());
      cond[i * width + condOffsets[col[i]] + cat[i]] = 1f;
    }
    return new Draw(cond, col, cat);
  }

  /**
   * A training row for each condition, in the order {@code order} (a permutation of the draw's rows): row {@code i}
   * holds category {@code category[order[i]]} of column {@code column[order[i]]}. Without conditions, uniform rows.
   */
  public int[] rows(Draw d, int[] order, int tableRows, Random rng) {
    if (rowsByCategory == null) throw new IllegalStateException("this sampler was built for generation, not training");
    int[] out = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      if (d == null) {
        out[i] = rng.nextInt(tableRows);
      } else {
        int[] rows = rowsByCategory[d.column()[order[i]]][d.category()[order[i]]];
        out[i] = rows[rng.nextInt(rows.length)];
      }
    }
    return out;
  }

  /** The offset in the conditional vector of discrete column {@code j}. */
  public int condOffset(int j) { return condOffsets[j]; }

  /** The category count of discrete column {@code j}. */
  public int categories(int j) { return columns.get(j).categories().size(); }

  private static double[] cdf(double[] w) {
    double s = 0;
    for (double v : w) s += v;
    double[] c = new double[w.length];
    double acc = 0;
    for (int i = 0; i < w.length; i++) c[i] = (acc += w[i]) / s;
    return c;
  }

  private static int pick(double[] cdf, double u) {
    for (int i = 0; i < cdf.length; i++) if (u < cdf[i]) return i;
    return cdf.length - 1;
  }
}

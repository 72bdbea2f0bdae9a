package org.rlhf4j.synth.copula;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.Synthesizer;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

/**
 * The Gaussian-copula baseline (SDV's default synthesizer): each column is mapped to a normal score through its
 * marginal (the randomised probability-integral transform, so ties and categories get continuous scores: a value
 * is drawn uniformly inside its step of the empirical CDF), the scores' correlation matrix is estimated, and
 * sampling draws correlated normals and maps them back. Numeric marginals are empirical (up to 2,001 quantile
 * knots) where SDV fits parametric ones by default; categories are ordered by frequency as SDV's encoder does.
 * Pure Java (commons-math3): no libtorch.
 */
public final class GaussianCopula implements Synthesizer {
  public static final String KIND = "copula";
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
  private static final int KNOTS = 2001;

  private final Schema schema;
  private final List<Marginal> marginals;
  private final double[][] correlation;

  public GaussianCopula(Schema schema, List<Marginal> marginals, double[][] correlation) {
    this.schema = schema;
    this.marginals = List.copyOf(marginals);
    this.correlation = correlation;
  }

  @Override public String kind() { return KIND; }

  public double[][] correlation() { return correlation; }

  public static GaussianCopula fit(Table t, long seed) {
    Random rng = new Random(seed);
    List<Marginal> marginals = new ArrayList<>();
    List<double[]> scores = new ArrayList<>(); // NaN where a numeric value is missing
    for (Column c : t.columns()) {
      if (c instanceof Column.Numeric n) fitNumeric(n, marginals, scores, rng);
      else fitCategorical((Column.Categorical) c, marginals, scores, rng);
    }
    int m = scores.size();
    double[][] r = new double[m][m];
    for (int a = 0; a < m; a++) {
      r[a][a] = 1;
      for (int b = a + 1; b < m; b++) r[a][b] = r[b][a] = pairwise(scores.get(a), scores.get(b));
    }
    return new GaussianCopula(t.schema(), marginals, positiveDefinite(r));
  }

  private static void fitNumeric(Column.Numeric n, List<Marginal> marginals, List<double[]> scores, Random rng) {
    double[] v = n.values();
    double[] sorted = n.present();
    Arrays.sort(sorted);
    int k = Math.min(KNOTS, sorted.length);
    double[] knots = new double[k];
    for (int i = 0; i < k; i++) knots[i] = sorted[(int) Math.round((double) i * (sorted.length - 1) / Math.max(1, k - 1))];
    marginals.add(new Marginal.Quantiles(n.name(), knots));
    double[] z = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      if (Double.isNaN(v[i])) {
        z[i] = Double.NaN; // left out of this variable's correlations
      } else {
        double lo = (double) lowerBound(sorted, v[i]) / sorted.length, hi = (double) upperBound(sorted, v[i]) / sorted.length;
        z[i] = score(lo + rng.nextDouble() * (hi - lo));
      }
    }
    scores.add(z);
    long missing = n.missingCount();
    if (missing > 0) {
      double rate = (double) missing / v.length;
      marginals.add(new Marginal.Missingness(n.name(), rate));
      double[] zm = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        zm[i] = score(Double.isNaN(v[i]) ? rng.nextDouble() * rate : rate + rng.nextDouble() * (1 - rate));
      }
      scores.add(zm);
    }
  }

  private static void fitCategorical(Column.Categorical c, List<Marginal> marginals, List<double[]> scores, Random rng) {
    List<Map.Entry<String, Integer>> byCount = new ArrayList<>(c.counts().entrySet());
    byCount.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
    int n = c.size();
    List<String> cats = new ArrayList<>();
    double[] cdf = new double[byCount.size()];
    Map<String, double[]> interval = new LinkedHashMap<>();
    double at = 0;
    for (int k = 0; k < byCount.size(); k++) {
      double lo = at;
      at += (double) byCount.get(k).getValue() / n;
      cats.add(byCount.get(k).getKey());
      cdf[k] = at;
      interval.put(byCount.get(k).getKey(), new double[] {lo, at});
    }
    cdf[cdf.length - 1] = 1;
    marginals.add(new Marginal.Categories(c.name(), cats, cdf));
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double[] iv = interval.get(c.values()[i]);
      z[i] = score(iv[0] + rng.nextDouble() * (iv[1] - iv[0]));
    }
    scores.add(z);
  }

  /** The correlation of two score columns over the rows where both are present. */
  private static double pairwise(double[] x, double[] y) {
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) continue;
      sxy += x[i] * y[i];
      sxx += x[i] * x[i];
      syy += y[i] * y[i];
    }
    return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  }

  /** Pairwise-complete correlations need not form a positive-definite matrix: shrink toward I until they do. */
  private static double[][] positiveDefinite(double[][] r) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        new CholeskyDecomposition(new Array2DRowRealMatrix(r), 1e-6, 1e-10);
        return r;
      } catch (org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException
          | org.apache.commons.math3.linear.NonSymmetricMatrixException e) {
        for (int a = 0; a < r.length; a++) for (int b = 0; b < r.length; b++) if (a != b) r[a][b] *= 0.95;
      }
    }
    throw new IllegalStateException("the copula's correlation matrix could not be made positive definite");
  }

  private static double score(double u) { return NORMAL.inverseCumulativeProbability(Math.max(1e-9, Math.min(1 - 1e-9, u))); }

  @Override public Table sample(int rows, long seed) {
    int m = marginals.size();
    RealMatrix r = new Array2DRowRealMatrix(correlation);
    for (int a = 0; a < m; a++) r.addToEntry(a, a, 1e-9);
    RealMatrix l = new CholeskyDecomposition(r, 1e-6, 1e-12).getL();
    Random rng = new Random(seed);
    double[][] u = new double[m][rows];
    double[] eps = new double[m];
    for (int i = 0; i < rows; i++) {
      for (int a = 0; a < m; a++) eps[a] = rng.nextGaussian();
      for (int a = 0; a < m; a++) {
        double z = 0;
        for (int b = 0; b <= a; b++) z += l.getEntry(a, b) * eps[b];
        u[a][i] = NORMAL.cumulativeProbability(z);
      }
    }
    return decode(u, rows);
  }

  private Table decode(double[][] u, int rows) {
    List<Column> out = new ArrayList<>();
    int v = 0;
    for (ColumnSpec spec : schema.columns()) {
      Marginal mg = marginals.get(v);
      if (mg instanceof Marginal.Categories c) {
        String[] vals = new String[rows];
        for (int i = 0; i < rows; i++) vals[i] = c.inverse(u[v][i]);
        out.add(new Column.Categorical(spec.name(), vals));
        v++;
        continue;
      }
      Marginal.Quantiles q = (Marginal.Quantiles) mg;
      Marginal.Missingness miss = v + 1 < marginals.size() && marginals.get(v + 1) instanceof Marginal.Missingness mm
          && mm.column().equals(spec.name()) ? mm : null;
      double[] vals = new double[rows];
      for (int i = 0; i < rows; i++) {
        vals[i] = miss != null && miss.missing(u[v + 1][i]) ? Double.NaN : ((ColumnSpec.Numeric) spec).constrain(q.inverse(u[v][i]));
      }
      out.add(new Column.Numeric(spec.name(), vals));
      v += miss != null ? 2 : 1;
    }
    return new Table(schema, out);
  }

  @Override public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", KIND);
    json.put("schema", schema);
    json.put("marginals", marginals.toArray(new Marginal[0])); // an array keeps the element type (and its "kind" id)
    json.put("correlation", correlation);
    SynthJson.write(dir.resolve("synthesizer.json"), json);
  }

  public static GaussianCopula load(Path dir, JsonNode json) {
    try {
      Schema schema = SynthJson.MAPPER.treeToValue(json.get("schema"), Schema.class);
      List<Marginal> marginals = new ArrayList<>();
      for (JsonNode n : json.get("marginals")) marginals.add(SynthJson.MAPPER.treeToValue(n, Marginal.class));
      double[][] corr = SynthJson.MAPPER.treeToValue(json.get("correlation"), double[][].class);
      return new GaussianCopula(schema, marginals, corr);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(dir + ": synthesizer.json is not a Gaussian-copula description: " + e.getMessage());
    }
  }

  private static int lowerBound(double[] a, double x) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static int upperBound(double[] a, double x) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

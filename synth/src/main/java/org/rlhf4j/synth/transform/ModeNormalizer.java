package org.rlhf4j.synth.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;

/**
 * CTGAN's mode-specific normalisation of a continuous column: a {@link VariationalGaussianMixture} finds its modes
 * (components of weight above {@link #WEIGHT_THRESHOLD} are kept); each value is represented by a mode drawn from
 * its posterior over the kept modes and its offset in that mode, {@code alpha = (x - mean) / (4 std)} clipped to
 * [-0.99, 0.99]. The output is (alpha | one-hot mode), plus a (present, missing) one-hot when the column has missing
 * values (a missing value's alpha is 0 and its mode is drawn from the mode weights).
 *
 * <p>The inverse takes the argmax mode and {@code alpha * 4 std + mean}: values within 3.96 standard deviations of
 * their mode come back exactly (up to float rounding).
 */
public record ModeNormalizer(String name, double[] means, double[] stds, double[] weights, boolean missing)
    implements ColumnTransform {
  public static final double WEIGHT_THRESHOLD = 0.005;
  static final double STD_MULTIPLIER = 4;

  public static ModeNormalizer fit(Column.Numeric column) {
    double[] x = column.present();
    VariationalGaussianMixture m = VariationalGaussianMixture.fit(x);
    double[] w = m.weights(), mu = m.means(), sd = m.stds();
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < w.length; j++) if (w[j] > WEIGHT_THRESHOLD) keep.add(j);
    double[] km = new double[keep.size()], ks = new double[keep.size()], kw = new double[keep.size()];
    double total = 0;
    for (int i = 0; i < keep.size(); i++) {
      km[i] = mu[keep.get(i)];
      ks[i] = sd[keep.get(i)];
      kw[i] = w[keep.get(i)];
      total += kw[i];
    }
    for (int i = 0; i < kw.length; i++) kw[i] /= total;
    return new ModeNormalizer(column.name(), km, ks, kw, column.missingCount() > 0);
  }

  public int modes() { return means.length; }

  @Override public List<Span> spans() {
    List<Span> s = new ArrayList<>(List.of(new Span(1, Span.Activation.TANH), new Span(modes(), Span.Activation.SOFTMAX)));
    if (missing) s.add(new Span(2, Span.Activation.SOFTMAX));
    return s;
  }

  /** The posterior over the kept modes of value {@code v} (each + 1e-6, renormalised, as RDT does). */
  double[] modePosterior(double v) {
    int k = modes();
    double[] p = new double[k];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double z = (v - means[j]) / stds[j];
      p[j] = Math.log(weights[j]) - 0.5 * z * z - Math.log(stds[j]); // log w_j N(v; mu_j, sd_j) + const
      max = Math.max(max, p[j]);
    }
    double sum = 0;
    for (int j = 0; j < k; j++) sum += p[j] = Math.exp(p[j] - max);
    double total = 0;
    for (int j = 0; j < k; j++) total += p[j] = p[j] / sum + 1e-6;
    for (int j = 0; j < k; j++) p[j] /= total;
    return p;
  }

  @Override public void encode(Column column, float[] out, int stride, int offset, Random rng) {
    double[] v = ((Column.Numeric) column).values();
    int k = modes();
    for (int r = 0; r < v.length; r++) {
      int base = r * stride + offset;
      boolean absent = Double.isNaN(v[r]);
      int mode = draw(absent ? weights : modePosterior(v[r]), rng);
      double alpha = absent ? 0 : (v[r] - means[mode]) / (STD_MULTIPLIER * stds[mode]);
      out[base] = (float) Math.max(-0.99, Math.min(0.99, alpha));
      out[base + 1 + mode] = 1f;
      if (missing) out[base + 1 + k + (absent ? 1 : 0)] = 1f;
    }
  }

  @Override public Column decode(float[] data, int rows, int stride, int offset, ColumnSpec spec) {
    ColumnSpec.Numeric numeric = (ColumnSpec.Numeric) spec;
    int k = modes();
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      int base = r * stride + offset;
      if (missing && data[base + 1 + k + 1] > data[base + 1 + k]) {
        out[r] = Double.NaN;
        continue;
      }
      int mode = ColumnTransform.argmax(data, base + 1, k);
      double alpha = Math.max(-1, Math.min(1, data[base]));
      out[r] = numeric.constrain(alpha * STD_MULTIPLIER * stds[mode] + means[mode]);
    }
    return new Column.Numeric(name, out);
  }

  private static int draw(double[] p, Random rng) {
    double u = rng.nextDouble(), c = 0;
    for (int j = 0; j < p.length; j++) {
      c += p[j];
      if (u < c) return j;
    }
    return p.length - 1;
  }
}

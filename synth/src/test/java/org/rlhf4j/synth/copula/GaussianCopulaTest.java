package org.rlhf4j.synth.copula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.synth.Synthesizers;
import org.rlhf4j.synth.quality.Fidelity;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

class GaussianCopulaTest {
  @TempDir Path dir;

  /** (x, y) bivariate normal with correlation 0.7 (y 10% missing), g = "hi" when x > 0.5 else "lo" / "mid". */
  static Table table(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n], y = new double[n];
    String[] g = new String[n];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian(), b = r.nextGaussian();
      x[i] = a;
      y[i] = r.nextDouble() < 0.1 ? Double.NaN : 10 + 3 * (0.7 * a + Math.sqrt(1 - 0.49) * b);
      g[i] = a > 0.5 ? "hi" : r.nextBoolean() ? "lo" : "mid";
    }
    Schema s = new Schema(List.of(ColumnSpec.Numeric.unbounded("x", false), ColumnSpec.Numeric.unbounded("y", false),
        new ColumnSpec.Categorical("g")));
    return new Table(s, List.of(new Column.Numeric("x", x), new Column.Numeric("y", y), new Column.Categorical("g", g)));
  }

  @Test void keepsMarginalsCorrelationMissingnessAndCategories() throws Exception {
    Table real = table(5000, 1);
    GaussianCopula c = GaussianCopula.fit(real, 2);
    Table synth = c.sample(5000, 3);
    double[] sx = ((Column.Numeric) synth.column("x")).values(), sy = ((Column.Numeric) synth.column("y")).values();
    assertThat(Fidelity.pearson(sx, sy)).isCloseTo(0.7, within(0.04));
    long missing = java.util.Arrays.stream(sy).filter(Double::isNaN).count();
    assertThat(missing / 5000.0).isCloseTo(0.1, within(0.015));
    Fidelity.Result f = Fidelity.of(real, synth);
    assertThat(f.columnShapes().get("x")).isGreaterThan(0.97);
    assertThat(f.columnShapes().get("y")).isGreaterThan(0.97);
    assertThat(f.columnShapes().get("g")).isGreaterThan(0.97);
    assertThat(f.overall()).isGreaterThan(0.9);
    // the copula ties g to x: "hi" rows mostly have a large x (a threshold dependence it can only approximate):
    // measured 0.67 of them above 0.3, where independence would give P(x > 0.3) = 0.38
    String[] g = ((Column.Categorical) synth.column("g")).values();
    int hi = 0, hiAbove = 0;
    for (int i = 0; i < g.length; i++) if (g[i].equals("hi")) { hi++; if (sx[i] > 0.3) hiAbove++; }
    assertThat((double) hiAbove / hi).isGreaterThan(0.55);
    c.save(dir);
    double[] again = ((Column.Numeric) Synthesizers.load(dir, Device.CPU).sample(100, 3).column("y")).values();
    assertThat(again).containsExactly(java.util.Arrays.copyOf(((Column.Numeric) c.sample(100, 3).column("y")).values(), 100));
  }
}

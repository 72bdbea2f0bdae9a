package org.rlhf4j.synth.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

class ModeNormalizerTest {
  @Test void continuousValuesRoundTripThroughTheirModes() {
    double[] x = VariationalGaussianMixtureTest.threeModes(4000, 3);
    ModeNormalizer n = ModeNormalizer.fit(new Column.Numeric("x", x));
    int w = n.width();
    assertThat(w).isEqualTo(1 + n.modes());
    assertThat(n.modes()).isLessThan(10); // components under the 0.005 weight threshold were dropped
    float[] enc = new float[x.length * w];
    n.encode(new Column.Numeric("x", x), enc, w, 0, new Random(1));
    for (int r = 0; r < x.length; r++) { // a one-hot mode and |alpha| <= 0.99
      float s = 0;
      for (int j = 1; j < w; j++) s += enc[r * w + j];
      assertThat(s).isEqualTo(1f);
      assertThat(Math.abs(enc[r * w])).isLessThanOrEqualTo(0.99f);
    }
    double[] back = ((Column.Numeric) n.decode(enc, x.length, w, 0, ColumnSpec.Numeric.unbounded("x", false))).values();
    int exact = 0;
    for (int r = 0; r < x.length; r++) if (Math.abs(back[r] - x[r]) < 1e-4 * (1 + Math.abs(x[r]))) exact++;
    // only values beyond 3.96 standard deviations of the drawn mode are clipped: nearly none
    assertThat((double) exact / x.length).isGreaterThan(0.999);
  }

  @Test void tableRoundTripKeepsMissingValuesCategoriesAndConstraints() {
    Random r = new Random(5);
    int n = 500;
    double[] age = new double[n], income = new double[n];
    String[] city = new String[n];
    for (int i = 0; i < n; i++) {
      age[i] = i % 17 == 0 ? Double.NaN : 18 + r.nextInt(60);
      income[i] = r.nextDouble() < 0.7 ? 0 : 20000 + 5000 * r.nextGaussian();
      city[i] = new String[] {"Paris", "Rome", "?", "Oslo"}[r.nextInt(4)];
    }
    Schema schema = new Schema(List.of(new ColumnSpec.Numeric("age", true, 18, 77), ColumnSpec.Numeric.unbounded("income", false),
        new ColumnSpec.Categorical("city")));
    Table t = new Table(schema, List.of(new Column.Numeric("age", age), new Column.Numeric("income", income),
        new Column.Categorical("city", city)));
    DataTransformer dt = DataTransformer.fit(t);
    assertThat(dt.discrete()).hasSize(1);
    assertThat(dt.spans().get(dt.spans().size() - 1)).isEqualTo(new Span(4, Span.Activation.SOFTMAX));
    Table back = dt.decode(dt.encode(t, new Random(1)), n);
    assertThat(((Column.Categorical) back.column("city")).values()).containsExactly(city);
    double[] a = ((Column.Numeric) back.column("age")).values(), inc = ((Column.Numeric) back.column("income")).values();
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(age[i])) assertThat(a[i]).isNaN();
      else assertThat(a[i]).isEqualTo(age[i]); // integer column: rounding removes float error
      assertThat(inc[i]).isCloseTo(income[i], within(1e-2 + 1e-5 * Math.abs(income[i])));
    }
  }
}

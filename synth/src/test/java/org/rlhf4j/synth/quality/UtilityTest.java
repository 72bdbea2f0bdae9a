package org.rlhf4j.synth.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

class UtilityTest {
  /** y = "yes" when 2a - b + (c == "z" ? 1 : 0) + noise > 1: learnable, 20-35% positives. */
  static Table table(int n, long seed) {
    Random r = new Random(seed);
    double[] a = new double[n], b = new double[n];
    String[] c = new String[n], y = new String[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
      b[i] = r.nextGaussian();
      c[i] = r.nextBoolean() ? "z" : "w";
      y[i] = 2 * a[i] - b[i] + (c[i].equals("z") ? 1 : 0) + 0.5 * r.nextGaussian() > 1.5 ? "yes" : "no";
    }
    Schema s = new Schema(List.of(ColumnSpec.Numeric.unbounded("a", false), ColumnSpec.Numeric.unbounded("b", false),
        new ColumnSpec.Categorical("c"), new ColumnSpec.Categorical("y")));
    return new Table(s, List.of(new Column.Numeric("a", a), new Column.Numeric("b", b), new Column.Categorical("c", c),
        new Column.Categorical("y", y)));
  }

  @Test void realAsSyntheticScoresAsTrtrAndPoorSyntheticScoresWorse() {
    Table train = table(1500, 1), test = table(800, 2);
    Utility.Result same = Utility.of(train, train, test, "y", 0);
    assertThat(same.positive()).isEqualTo("yes");
    for (String k : List.of("logistic_regression", "xgboost")) {
      assertThat(same.tstr().get(k)).isEqualTo(same.trtr().get(k)); // same data, same seeds: same model
      assertThat(same.trtr().get(k).auc()).as(k).isGreaterThan(0.9);
    }
    // synthetic rows whose label ignores the features: AUC falls to about chance
    Table shuffled = table(1500, 3);
    String[] y = ((Column.Categorical) shuffled.column("y")).values();
    java.util.Collections.shuffle(java.util.Arrays.asList(y), new Random(4));
    Utility.Result poor = Utility.of(train, shuffled, test, "y", 0);
    assertThat(poor.tstr().get("xgboost").auc()).isLessThan(0.65);
    for (String k : List.of("logistic_regression", "xgboost")) {
      assertThat(same.trtr().get(k).predictedPositive()).as(k).isBetween(0.05, 0.6);
      assertThat(same.trtr().get(k).f1AtBaseRate()).as(k).isGreaterThan(poor.tstr().get(k).f1AtBaseRate());
    }
  }

  /** Hand-computed: five rows, the positives scored 0.9 and 0.3. */
  @Test void f1AtBaseRateCallsTheTopShareByScorePositive() {
    double[] score = {0.2, 0.9, 0.1, 0.8, 0.3};
    boolean[] truth = {false, true, false, false, true}; // sorted: 0.9 T, 0.8 F, 0.3 T, 0.2 F, 0.1 F
    assertThat(Utility.f1AtRate(score, truth, 0.4)).isEqualTo(2.0 * 1 / (2 + 2)); // top 2: one hit
    assertThat(Utility.f1AtRate(score, truth, 0.6)).isEqualTo(2.0 * 2 / (3 + 2)); // top 3: both
    assertThat(Utility.f1AtRate(score, truth, 0.0)).isZero();
  }

  @Test void numericTargetIsRefused() {
    Table t = table(50, 1);
    assertThatThrownBy(() -> Utility.of(t, t, t, "a", 0)).hasMessage("--target column 'a' must be categorical");
  }
}

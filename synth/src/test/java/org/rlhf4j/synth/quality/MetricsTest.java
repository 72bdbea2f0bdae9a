package org.rlhf4j.synth.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

/** Fidelity and privacy metrics against cases worked out by hand (in the comments). */
class MetricsTest {
  @Test void ksComplement() {
    // F_real - F_synth at 2, 3, 4: 0.5 - 0, 0.75 - 0.25, 1 - 0.5: KS = 0.5
    assertThat(Fidelity.ksComplement(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6})).isCloseTo(0.5, within(1e-12));
    assertThat(Fidelity.ksComplement(new double[] {1, 2, 3}, new double[] {3, 2, 1, Double.NaN})).isEqualTo(1.0); // NaN dropped
    assertThat(Fidelity.ksComplement(new double[] {1, 2}, new double[] {5, 6})).isEqualTo(0.0);
  }

  @Test void tvComplement() {
    // p = (a .5, b .25, c .25), q = (a .25, b .75, c 0): sum |p - q| = 1, TV = 0.5
    assertThat(Fidelity.tvComplement(new String[] {"a", "a", "b", "c"}, new String[] {"a", "b", "b", "b"})).isCloseTo(0.5, within(1e-12));
    assertThat(Fidelity.tvComplement(new String[] {"a", "b"}, new String[] {"b", "a"})).isCloseTo(1.0, within(1e-12));
  }

  @Test void correlationSimilarity() {
    // x = 1..4, y = 2, 4, 5, 9: cov 11, var 5 and 26, r = 11 / sqrt(130) = 0.964764
    assertThat(Fidelity.pearson(new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9})).isCloseTo(0.964764, within(1e-6));
    assertThat(Fidelity.correlationSimilarity(1, -1)).isEqualTo(0.0);
    assertThat(Fidelity.correlationSimilarity(0.964764, 0.5)).isCloseTo(1 - 0.464764 / 2, within(1e-12));
  }

  @Test void contingencySimilarity() {
    // real (a,x) (a,y) (b,x) (b,x): .25 .25 .5; synth (a,x) (a,x) (b,y) (b,x): ax .5, by .25, bx .25 -> TV 0.5
    int[] ra = {0, 0, 1, 1}, rb = {0, 1, 0, 0}, sa = {0, 0, 1, 1}, sb = {0, 0, 1, 0};
    assertThat(Fidelity.contingencySimilarity(ra, rb, sa, sb)).isCloseTo(0.5, within(1e-12));
  }

  @Test void numericColumnsAreBinnedOverTheRealRange() {
    assertThat(Fidelity.bins(new double[] {0, 0.99, 5, 10, -3, 42, Double.NaN}, 0, 10)).containsExactly(0, 0, 5, 9, 0, 9, 10);
  }

  @Test void overallIsTheMeanOfShapesAndTrends() {
    Schema s = new Schema(List.of(ColumnSpec.Numeric.unbounded("x", false), ColumnSpec.Numeric.unbounded("y", false)));
    Table real = new Table(s, List.of(new Column.Numeric("x", new double[] {1, 2, 3, 4}), new Column.Numeric("y", new double[] {2, 4, 5, 9})));
    Table synth = new Table(s, List.of(new Column.Numeric("x", new double[] {3, 4, 5, 6}), new Column.Numeric("y", new double[] {9, 5, 4, 2})));
    Fidelity.Result f = Fidelity.of(real, synth);
    // shapes: x 0.5; y same values reordered 1.0 -> 0.75; trend: r = 0.964764 vs -0.964764 -> 1 - 0.964764 = 0.035236
    assertThat(f.shapes()).isCloseTo(0.75, within(1e-12));
    assertThat(f.trends()).isCloseTo(0.035236, within(1e-6));
    assertThat(f.overall()).isCloseTo((0.75 + 0.035236) / 2, within(1e-6));
  }

  static Table twoColumns(double[] v, String[] c) {
    return new Table(new Schema(List.of(new ColumnSpec.Numeric("v", false, 0, 10), new ColumnSpec.Categorical("c"))),
        List.of(new Column.Numeric("v", v), new Column.Categorical("c", c)));
  }

  @Test void distanceToClosestRecordIsGower() {
    Table train = twoColumns(new double[] {0, 10}, new String[] {"a", "b"}); // numeric range 10
    Table query = twoColumns(new double[] {2, 5, 0}, new String[] {"a", "b", "a"});
    // (2,a): to (0,a) (0.2 + 0) / 2 = 0.1, to (10,b) (0.8 + 1) / 2 = 0.9 -> 0.1
    // (5,b): to (0,a) (0.5 + 1) / 2 = 0.75, to (10,b) (0.5 + 0) / 2 = 0.25 -> 0.25; (0,a) is a copy -> 0
    assertThat(new Privacy.Gower(train).nearest(query, train)).containsExactly(new double[] {0.1, 0.25, 0}, within(1e-12));
    assertThat(Privacy.exactCopyRate(train, query)).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test void membershipAucIsTheMannWhitneyStatistic() {
    // pairs: 3>1, 3>2, 2>1, 2=2 (half): 3.5 / 4
    assertThat(Privacy.auc(new double[] {3, 2}, new double[] {1, 2})).isCloseTo(0.875, within(1e-12));
    assertThat(Privacy.auc(new double[] {1, 1}, new double[] {1, 1})).isCloseTo(0.5, within(1e-12));
    assertThat(Privacy.quantile(new double[] {4, 1, 3, 2}, 0.5)).isCloseTo(2.5, within(1e-12));
  }
}

package org.rlhf4j.demo.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The gap between two frontier curves at equal KL, against values worked out by hand. */
class FrontierGapTest {
  @Test void interpolatesLinearlyBetweenPointsAndHoldsTheEnds() {
    double[] x = {0, 1, 3}, y = {0.5, 0.7, 0.9};
    assertThat(FrontierGap.at(x, y, 0)).isEqualTo(0.5);
    assertThat(FrontierGap.at(x, y, 0.5)).isCloseTo(0.6, within(1e-12));
    assertThat(FrontierGap.at(x, y, 2)).isCloseTo(0.8, within(1e-12));
    assertThat(FrontierGap.at(x, y, 3)).isCloseTo(0.9, within(1e-12));
    assertThat(FrontierGap.at(new double[] {0, 1, 1}, new double[] {0.5, 0.6, 0.8}, 1)).isEqualTo(0.6);
  }

  @Test void aCurveAboveByAConstantHasThatGapEverywhereOverTheSharedRange() {
    // a: 0.5 -> 0.9 over KL 0..4 (slope 0.1); b: 0.5 -> 0.6 over KL 0..2 (slope 0.05): the shared range is (0, 2]
    FrontierGap g = FrontierGap.of(new double[] {0, 4}, new double[] {0.5, 0.9}, new double[] {0, 2}, new double[] {0.5, 0.6});
    assertThat(g.upTo()).isEqualTo(2);
    // a - b = 0.05 k at k = 0.1, 0.2, ..., 2: mean 0.05 * 1.05, min 0.005, max 0.1
    assertThat(g.mean()).isCloseTo(0.0525, within(1e-12));
    assertThat(g.min()).isCloseTo(0.005, within(1e-12));
    assertThat(g.max()).isCloseTo(0.1, within(1e-12));
    assertThat(g.dominates()).isTrue();
  }

  @Test void crossingCurvesDoNotDominate() {
    // a rises first then falls below b: at k = 1 a - b = +0.1, at k = 2 it is -0.1
    FrontierGap g = FrontierGap.of(new double[] {0, 1, 2}, new double[] {0.5, 0.7, 0.6}, new double[] {0, 2}, new double[] {0.5, 0.7});
    assertThat(g.max()).isCloseTo(0.1, within(1e-12));
    assertThat(g.min()).isCloseTo(-0.1, within(1e-12));
    assertThat(g.dominates()).isFalse();
    assertThat(g.json()).containsKeys("kl_range", "mean_gold_gap", "dominates");
  }

  @Test void curvesThatShareNoKlBeyondZeroAreRefused() {
    assertThatThrownBy(() -> FrontierGap.of(new double[] {0}, new double[] {0.5}, new double[] {0, 1}, new double[] {0.5, 0.6}))
        .hasMessageContaining("no KL range");
  }
}

package org.rlhf4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthControlledWinRateTest {
  @Test
  void logisticRegressionRecoversGroupLogOdds() {
    // z = 0: wins 3 of 4 -> b0 = ln 3; z = 1: wins 1 of 2 -> b0 + b1 = 0
    double[][] x = {{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 1}, {1, 1}};
    double[] y = {1, 0, 1, 1, 1, 0};
    double[] beta = LogisticRegression.fit(x, y, 0);
    assertThat(beta[0]).isCloseTo(Math.log(3), within(1e-9));
    assertThat(beta[1]).isCloseTo(-Math.log(3), within(1e-9));
  }

  @Test
  void longerPolicyWinningOnlyThroughLengthIsControlledBackToAboutHalf() {
    Random rng = new Random(1);
    int n = 3000;
    double[] y = new double[n];
    double[] pl = new double[n];
    double[] bl = new double[n];
    for (int i = 0; i < n; i++) {
      bl[i] = 100 + 20 * rng.nextGaussian();
      pl[i] = bl[i] + 40 + 40 * rng.nextGaussian(); // policy is longer by one sd on average
      double p = LogisticRegression.sigmoid(0.0 + 1.5 * (pl[i] - bl[i]) / 40.0);
      y[i] = rng.nextDouble() < p ? 1 : 0;
    }
    LengthControlledWinRate lc = LengthControlledWinRate.of(y, pl, bl, 300, 3);
    assertThat(lc.rawRate()).isGreaterThan(0.65);
    assertThat(lc.winRate().rate()).isCloseTo(0.5, within(0.04));
    assertThat(lc.winRate().lo()).isLessThan(0.5);
    assertThat(lc.winRate().hi()).isGreaterThan(0.5);
    assertThat(lc.lengthScale()).isCloseTo(40, within(2.0));
    assertThat(lc.lengthCoefficient()).isCloseTo(1.5, within(0.2));
  }

  @Test
  void equalLengthsGiveTheRawWinRate() {
    double[] y = {1, 1, 0.5, 0, 1, 1, 0, 1};
    double[] len = new double[y.length];
    Arrays.fill(len, 50);
    LengthControlledWinRate lc = LengthControlledWinRate.of(y, len, len, 200, 1);
    assertThat(lc.lengthScale()).isZero();
    assertThat(lc.winRate().rate()).isCloseTo(0.6875, within(1e-3));
    assertThat(lc.rawRate()).isEqualTo(0.6875);
  }

  @Test
  void allWinsStayFinite() {
    double[] y = {1, 1, 1, 1, 1};
    LengthControlledWinRate lc = LengthControlledWinRate.of(y, new double[] {5, 6, 7, 8, 9}, new double[] {5, 5, 5, 5, 5});
    assertThat(lc.winRate().rate()).isGreaterThan(0.99).isLessThanOrEqualTo(1);
    assertThat(lc.intercept()).isFinite();
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThatThrownBy(() -> LengthControlledWinRate.of(new double[] {1, 0}, new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("2 outcomes").hasMessageContaining("1 policy lengths");
  }
}

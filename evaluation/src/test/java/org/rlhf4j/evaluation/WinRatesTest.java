package org.rlhf4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WinRatesTest {
  @Test
  void outcomesCountTiesWithinEpsAsHalf() {
    double[] o = WinRates.outcomes(new double[] {1, 2, 3, 4}, new double[] {0, 2.05, 5, 1}, 0.1);
    assertThat(o).containsExactly(1, 0.5, 0, 1);
    assertThat(WinRates.compare(new double[] {1, 2, 3, 4}, new double[] {0, 2.05, 5, 1}, 0.1).rate()).isEqualTo(0.625);
  }

  @Test
  void wilsonIntervalMatchesHandComputedValues() {
    double[] half = new double[100];
    Arrays.fill(half, 0, 50, 1.0);
    WinRate w = WinRates.wilson(half);
    assertThat(w.rate()).isEqualTo(0.5);
    assertThat(w.lo()).isCloseTo(0.40383, within(1e-4));
    assertThat(w.hi()).isCloseTo(0.59617, within(1e-4));
    WinRate none = WinRates.wilson(new double[10]);
    assertThat(none.lo()).isEqualTo(0);
    assertThat(none.hi()).isCloseTo(3.8415 / 13.8415, within(1e-4)); // z^2 / (n + z^2)
    assertThat(none.n()).isEqualTo(10);
  }

  @Test
  void bootstrapIsReproducibleAndAgreesWithWilsonRoughly() {
    double[] o = new double[200];
    for (int i = 0; i < o.length; i++) o[i] = i % 10 < 6 ? 1 : i % 10 == 6 ? 0.5 : 0;
    WinRate a = WinRates.bootstrap(o, 2000, 7);
    assertThat(WinRates.bootstrap(o, 2000, 7)).isEqualTo(a);
    WinRate w = WinRates.wilson(o);
    assertThat(a.rate()).isEqualTo(0.65);
    assertThat(a.lo()).isLessThan(0.65).isCloseTo(w.lo(), within(0.02));
    assertThat(a.hi()).isGreaterThan(0.65).isCloseTo(w.hi(), within(0.02));
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> WinRates.compare(new double[2], new double[3], 0)).hasMessageContaining("2").hasMessageContaining("3");
    assertThatThrownBy(() -> WinRates.wilson(new double[0])).hasMessageContaining("no outcomes");
    assertThatThrownBy(() -> WinRates.compare(new double[] {Double.NaN}, new double[] {0}, 0)).hasMessageContaining("prompt 0");
    assertThatThrownBy(() -> WinRates.wilson(new double[] {0.5, 1.5})).hasMessageContaining("prompt 1");
    assertThatThrownBy(() -> new WinRate(0.5, 0.6, 0.7, 10)).hasMessageContaining("lo");
    assertThatThrownBy(() -> new WinRate(0.5, 0.4, 0.7, 0)).hasMessageContaining("n");
  }

  @Test
  void toStringIsReadable() {
    assertThat(new WinRate(0.625, 0.551, 0.694, 160)).hasToString("62.5% [55.1, 69.4] (n=160)");
  }
}

package org.rlhf4j.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Golden values: Opacus's RDPAccountant at q = 0.004, δ = 1e-5 (the figures, current and pre-1.0 conversion). */
class RdpAccountantTest {
  private static void near(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-3 * expected));
  }

  @Test void matchesOpacusCurrentConversion() {
    RdpAccountant a = RdpAccountant.opacus();
    near(a.epsilon(1.3, 0.004, 3_750, 1e-5), 0.922);
    near(a.epsilon(1.1, 0.004, 15_000, 1e-5), 2.503);
    near(a.epsilon(0.7, 0.004, 11_250, 1e-5), 6.093);
  }

  @Test void matchesOlderOpacusConversion() {
    RdpAccountant a = new RdpAccountant(RdpAccountant.DEFAULT_ORDERS, RdpAccountant.Conversion.MIRONOV_2017);
    near(a.epsilon(1.3, 0.004, 3_750, 1e-5), 1.160);
    near(a.epsilon(1.1, 0.004, 15_000, 1e-5), 2.905);
    near(a.epsilon(0.7, 0.004, 11_250, 1e-5), 6.859);
  }

  @Test void fullBatchIsTheGaussianMechanismComposed() {
    // q = 1: RDP α/(2σ²) per step; N steps of σ compose to one Gaussian of σ/√N.
    double direct = RdpAccountant.rdp(1, 2.0, 5);
    assertThat(direct).isCloseTo(5 / 8.0, within(1e-15));
    assertThat(RdpAccountant.opacus().epsilon(2.0, 1, 4, 1e-5)).isCloseTo(RdpAccountant.opacus().epsilon(1.0, 1, 1, 1e-5), within(1e-12));
  }

  @Test void integerAndFractionalOrdersAgreeAtTheSeam() {
    // The fractional series at α = 3 ± 1e-7 brackets the integer sum at α = 3.
    double at3 = RdpAccountant.logAInteger(0.01, 1.1, 3);
    assertThat(RdpAccountant.logAFractional(0.01, 1.1, 3 + 1e-7)).isCloseTo(at3, within(1e-5));
    assertThat(RdpAccountant.logAFractional(0.01, 1.1, 3 - 1e-7)).isCloseTo(at3, within(1e-5));
  }

  @Test void solvesForTheNoiseMultiplier() {
    RdpAccountant a = RdpAccountant.opacus();
    double sigma = a.noiseFor(2.503, 0.004, 15_000, 1e-5);
    assertThat(sigma).isCloseTo(1.1, within(0.002));
    assertThat(a.epsilon(sigma, 0.004, 15_000, 1e-5)).isLessThanOrEqualTo(2.503);
    assertThatThrownBy(() -> a.epsilon(1, 1.5, 10, 1e-5)).hasMessageContaining("sample rate must be in [0, 1]");
  }
}

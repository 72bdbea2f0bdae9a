package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.of;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;

/** Hand-checkable PPO cases: GAE identities, clipping, KL controllers, bad input. */
class PpoPiecesTest {
  private static final ScalarType F64 = ScalarType.Double;

  private static Tensor m2x3(double... v) { return of(F64, v).reshape(2, 3); } // (2, 3)

  @Test
  void gaeWithGammaLambdaOneIsRewardToGoMinusValue() {
    try (var s = NativeScope.open()) {
      Tensor rewards = m2x3(1, 2, 3, 4, 5, 99); // row 1: last entry is padding
      Tensor values = m2x3(0.5, -1, 2, 1, 1, 99);
      Tensor mask = m2x3(1, 1, 1, 1, 1, 0);
      var g = Gae.compute(new Gae.Config(1, 1), rewards, values, mask);
      // reward-to-go: row 0 (6, 5, 3), row 1 (9, 5, -)
      assertThat(Fixture.values(g.advantages())).containsExactly(new double[] {5.5, 6, 1, 8, 4, 0}, offset(1e-12));
      assertThat(Fixture.values(g.returns())).containsExactly(new double[] {6, 5, 3, 9, 5, 0}, offset(1e-12));
    }
  }

  @Test
  void gaeWithLambdaZeroIsOneStepTdError() {
    try (var s = NativeScope.open()) {
      Tensor rewards = m2x3(1, 0, 2, 0, 0, 0);
      Tensor values = m2x3(1, 2, 3, 0, 0, 0);
      var g = Gae.compute(new Gae.Config(0.5, 0), rewards, values, m2x3(1, 1, 1, 1, 1, 1));
      // delta = r + 0.5 V' - V: (1 + 1 - 1, 0 + 1.5 - 2, 2 + 0 - 3)
      assertThat(Fixture.values(g.advantages())).startsWith(new double[] {1, -0.5, -1}, offset(1e-12));
    }
  }

  @Test
  void scoreLandsOnLastRealTokenAndKlPenaltyElsewhere() {
    try (var s = NativeScope.open()) {
      Tensor kl = m2x3(1, 1, 1, 2, 2, 2);
      Tensor r = PpoRewards.perToken(of(F64, 10, 20), kl, m2x3(1, 1, 1, 1, 0, 0), 0.5);
      assertThat(Fixture.values(r)).containsExactly(new double[] {-0.5, -0.5, 9.5, 19, 0, 0}, offset(1e-12));
    }
  }

  @Test
  void klEstimatorsOnKnownLogRatio() {
    try (var s = NativeScope.open()) {
      Tensor logp = of(F64, Math.log(0.5)).reshape(1, 1); // (1, 1)
      Tensor logq = of(F64, Math.log(0.25)).reshape(1, 1); // (1, 1)
      Tensor one = of(F64, 1).reshape(1, 1); // (1, 1)
      double l2 = Math.log(2);
      assertThat(Fixture.values(KlEstimator.K1.perToken(logp, logq, one))[0]).isCloseTo(l2, offset(1e-12));
      assertThat(Fixture.values(KlEstimator.K2.perToken(logp, logq, one))[0]).isCloseTo(0.5 * l2 * l2, offset(1e-12));
      // r = q/p = 0.5: (0.5 - 1) - log 0.5
      assertThat(Fixture.values(KlEstimator.K3.perToken(logp, logq, one))[0]).isCloseTo(-0.5 + l2, offset(1e-12));
    }
  }

  @Test
  void policyLossClipsAndCarriesGradientOnlyInsideTheTrustRegion() {
    try (var s = NativeScope.open()) {
      // token 0: ratio e^0.5 > 1.2 with A > 0 -> clipped (no gradient); token 1: ratio 1 -> unclipped
      Tensor neu = of(F64, 0.5, 0.0).reshape(1, 2).requires_grad_(true); // (1, 2)
      Tensor old = of(F64, 0.0, 0.0).reshape(1, 2); // (1, 2)
      Tensor adv = of(F64, 1.0, 2.0).reshape(1, 2); // (1, 2)
      var r = PpoLoss.policy(PpoLoss.Config.DEFAULT, neu, old, adv, of(F64, 1, 1).reshape(1, 2));
      assertThat(r.metrics().loss()).isCloseTo((-1.2 - 2.0) / 2, offset(1e-12));
      assertThat(r.metrics().clipfrac()).isEqualTo(0.5);
      assertThat(r.metrics().approxKl()).isCloseTo(0.5 * 0.25 / 2, offset(1e-12));
      r.loss().backward();
      assertThat(Fixture.values(neu.grad())).containsExactly(new double[] {0, -1.0}, offset(1e-12));
    }
  }

  @Test
  void valueLossUsesThePessimisticOfClippedAndUnclipped() {
    try (var s = NativeScope.open()) {
      Tensor neu = of(F64, 1.0).reshape(1, 1); // (1, 1) moved +1 from old 0, clipped to 0.2
      Tensor old = of(F64, 0.0).reshape(1, 1); // (1, 1)
      Tensor ret = of(F64, 2.0).reshape(1, 1); // (1, 1)
      var r = PpoLoss.value(PpoLoss.Config.DEFAULT, neu, old, ret, of(F64, 1).reshape(1, 1));
      assertThat(r.metrics().loss()).isCloseTo(0.5 * 1.8 * 1.8, offset(1e-12)); // max(1, 3.24)
      assertThat(r.metrics().clipfrac()).isEqualTo(1.0);
    }
  }

  @Test
  void adaptiveKlControllerFollowsZiegler() {
    KlController c = new KlController.Adaptive(0.2, 6, 10000);
    KlController up = c.update(12, 256); // error clipped to +0.2
    assertThat(up.value()).isCloseTo(0.2 * (1 + 0.2 * 256 / 10000.0), offset(1e-15));
    KlController down = c.update(4.5, 100); // error -0.25 clipped to -0.2
    assertThat(down.value()).isCloseTo(0.2 * (1 - 0.2 * 100 / 10000.0), offset(1e-15));
    KlController mild = c.update(6.6, 1000); // error +0.1
    assertThat(mild.value()).isCloseTo(0.2 * 1.01, offset(1e-15));
    assertThat(new KlController.Fixed(0.05).update(100, 1000).value()).isEqualTo(0.05);
    assertThatThrownBy(() -> new KlController.Adaptive(0.2, 0, 10)).hasMessageContaining("target");
  }

  @Test
  void rejectsBadConfigsAndShapes() {
    assertThatThrownBy(() -> new Gae.Config(1.1, 0.9)).hasMessageContaining("gamma");
    assertThatThrownBy(() -> new Gae.Config(1, -0.1)).hasMessageContaining("lam");
    assertThatThrownBy(() -> new PpoLoss.Config(0, 0.2, 0.1)).hasMessageContaining("cliprange");
    assertThatThrownBy(() -> new PpoLoss.Config(0.2, 0.2, -1)).hasMessageContaining("vfCoef");
    try (var s = NativeScope.open()) {
      Tensor a = m2x3(1, 1, 1, 1, 1, 1);
      assertThatThrownBy(() -> Gae.compute(Gae.Config.DEFAULT, a, of(F64, 1, 2), a)).hasMessageContaining("values");
      assertThatThrownBy(() -> PpoRewards.perToken(of(F64, 1, 2, 3), a, a, 0.1)).hasMessageContaining("scores");
      assertThatThrownBy(() -> Masked.whiten(of(F64, 1, 2), of(F64, 1, 0), true, 1e-8, true))
          .hasMessageContaining(">= 2");
    }
  }
}

package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.of;
import static org.rlhf4j.training.loss.Fixture.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.Fixture.Precision;

class RewardLossTest {
  private static final ScalarType F64 = ScalarType.Double;

  @ParameterizedTest
  @EnumSource(Precision.class)
  void matchesFixture(Precision p) {
    JsonNode rm = Fixture.section("reward_model");
    JsonNode in = rm.get("inputs"), exp = rm.get("expected");
    try (var s = NativeScope.open()) {
      Tensor rc = tensor(in.get("rewards_chosen"), p.type); // (6)
      Tensor rr = tensor(in.get("rewards_rejected"), p.type); // (6)
      var plain = RewardLoss.compute(RewardLoss.Config.DEFAULT, rc, rr);
      assertClose("loss", plain.loss(), exp.get("loss"), p.tol);
      assertClose("accuracy", plain.metrics().accuracy(), exp.get("accuracy").asDouble(), p.tol);
      var withMargin = RewardLoss.compute(RewardLoss.Config.DEFAULT, rc, rr, tensor(in.get("margin"), p.type), null);
      assertClose("loss with margin", withMargin.loss(), exp.get("loss_with_margin"), p.tol);
      assertClose("accuracy ignores margin", withMargin.metrics().accuracy(), exp.get("accuracy").asDouble(), p.tol);
    }
  }

  @Test
  void equalRewardsGiveLog2AndMetricsAreHandCheckable() {
    try (var s = NativeScope.open()) {
      var r = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1, 3), of(F64, 1, 3));
      assertThat(r.metrics().loss()).isCloseTo(Math.log(2), offset(1e-12));
      assertThat(r.metrics().accuracy()).isZero(); // strict: ties are not wins
      var m = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 2, 0), of(F64, 1, 1)).metrics();
      assertThat(m.margin()).isCloseTo(0.0, offset(1e-12)); // (1 + -1) / 2
      assertThat(m.chosenMean()).isCloseTo(1.0, offset(1e-12));
      assertThat(m.rejectedMean()).isCloseTo(1.0, offset(1e-12));
      assertThat(m.rewardMean()).isCloseTo(1.0, offset(1e-12));
      assertThat(m.rewardStd()).isCloseTo(Math.sqrt(2.0 / 3.0), offset(1e-12)); // unbiased std of {2,0,1,1}
      assertThat(m.accuracy()).isEqualTo(0.5);
    }
  }

  @Test
  void labelSmoothingAndSoftTargets() {
    try (var s = NativeScope.open()) {
      double d = 0.7, eps = 0.1;
      double expected = -(1 - eps) * logSigmoid(d) - eps * logSigmoid(-d);
      var smooth = RewardLoss.compute(new RewardLoss.Config(eps, 0), of(F64, 1.0), of(F64, 0.3));
      assertThat(smooth.metrics().loss()).isCloseTo(expected, offset(1e-12));
      // a soft target p = 0.9 is the same thing; p = 0.5 makes the loss symmetric in d
      var soft = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1.0), of(F64, 0.3), null, of(F64, 0.9));
      assertThat(soft.metrics().loss()).isCloseTo(expected, offset(1e-12));
      var half = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1.0), of(F64, 0.3), null, of(F64, 0.5));
      assertThat(half.metrics().loss()).isCloseTo(-0.5 * logSigmoid(d) - 0.5 * logSigmoid(-d), offset(1e-12));
      assertThatThrownBy(() -> RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1.0), of(F64, 0.3), null,
          of(F64, 1.5))).hasMessageContaining("chosenProb");
    }
  }

  @Test
  void centeringTermAddsCoefTimesMeanSquaredSum() {
    try (var s = NativeScope.open()) {
      var base = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1, 2), of(F64, 0, -1));
      var centered = RewardLoss.compute(new RewardLoss.Config(0, 0.01), of(F64, 1, 2), of(F64, 0, -1));
      // mean((1+0)^2, (2-1)^2) = 1
      assertThat(centered.metrics().loss() - base.metrics().loss()).isCloseTo(0.01, offset(1e-12));
    }
  }

  @Test
  void gradientPushesChosenUpAndRejectedDown() {
    try (var s = NativeScope.open()) {
      Tensor rc = of(F64, 0.0).requires_grad_(true); // (1)
      Tensor rr = of(F64, 0.0).requires_grad_(true); // (1)
      RewardLoss.compute(RewardLoss.Config.DEFAULT, rc, rr).loss().backward();
      assertThat(Fixture.values(rc.grad())[0]).isCloseTo(-0.5, offset(1e-12)); // -(1 - sigma(0))
      assertThat(Fixture.values(rr.grad())[0]).isCloseTo(0.5, offset(1e-12));
    }
  }

  @Test
  void rejectsBadConfigAndShapes() {
    assertThatThrownBy(() -> new RewardLoss.Config(0.5, 0)).hasMessageContaining("labelSmoothing");
    assertThatThrownBy(() -> new RewardLoss.Config(0, -1)).hasMessageContaining("centerRewardsCoef");
    try (var s = NativeScope.open()) {
      assertThatThrownBy(() -> RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, 1, 2), of(F64, 1)))
          .hasMessageContaining("rewardsRejected");
    }
  }

  private static double logSigmoid(double x) { return -Math.log1p(Math.exp(-x)); }
}

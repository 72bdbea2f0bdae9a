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

  /**
   * Issue 15, item 4: swapping a pair's sides with its label flipped (chosen <-> rejected, p -> 1 - p) leaves the
   * Bradley-Terry loss and both rewards' gradients unchanged (with smoothing, soft targets and centering), so as an
   * augmentation it adds no information: the swapped copy of a pair is the pair again. With a margin it is not
   * label-preserving at all (the gap the margin asks of "chosen" changes side), so no swap option is offered.
   */
  @Test
  void swappingSidesWithTheLabelFlippedIsTheSameLoss() {
    try (var s = NativeScope.open()) {
      double[] c = {0.7, -1.2, 2.0, 0.1}, r = {0.3, 0.4, -0.5, 0.1}, p = {1.0, 0.8, 0.35, 0.5};
      for (RewardLoss.Config cfg : new RewardLoss.Config[] {RewardLoss.Config.DEFAULT, new RewardLoss.Config(0.1, 0.01)}) {
        Tensor rc = of(F64, c).requires_grad_(true), rr = of(F64, r).requires_grad_(true);
        Tensor sc = of(F64, r).requires_grad_(true), sr = of(F64, c).requires_grad_(true); // the swapped pairs' sides
        Tensor prob = of(F64, p), flipped = of(F64, 1 - p[0], 1 - p[1], 1 - p[2], 1 - p[3]);
        Tensor original = RewardLoss.compute(cfg, rc, rr, null, prob).loss(), swapped = RewardLoss.compute(cfg, sc, sr, null, flipped).loss();
        assertThat(Fixture.values(swapped)[0]).isCloseTo(Fixture.values(original)[0], offset(1e-12));
        original.backward();
        swapped.backward();
        double[] gc = Fixture.values(rc.grad()), gr = Fixture.values(rr.grad());
        double[] gsc = Fixture.values(sc.grad()), gsr = Fixture.values(sr.grad());
        for (int i = 0; i < c.length; i++) {
          assertThat(gsr[i]).as("gradient of response %d's reward", i).isCloseTo(gc[i], offset(1e-12));
          assertThat(gsc[i]).isCloseTo(gr[i], offset(1e-12));
        }
      }
      // hard labels: the swapped pair (p = 0) goes through the soft path and still gives the hard loss
      double hard = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, c), of(F64, r)).metrics().loss();
      double swappedHard = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, r), of(F64, c), null, of(F64, 0, 0, 0, 0)).metrics().loss();
      assertThat(swappedHard).isCloseTo(hard, offset(1e-12));
      // with a margin the swap changes the loss: -log sigma(d - m) becomes -log sigma(d + m)
      Tensor m = of(F64, 0.5, 0.5, 0.5, 0.5);
      double withMargin = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, c), of(F64, r), m, null).metrics().loss();
      double swappedMargin = RewardLoss.compute(RewardLoss.Config.DEFAULT, of(F64, r), of(F64, c), m, of(F64, 0, 0, 0, 0)).metrics().loss();
      assertThat(swappedMargin).isLessThan(withMargin - 0.1);
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

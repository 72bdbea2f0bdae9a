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

class DpoLossTest {
  private static final ScalarType F64 = ScalarType.Double;

  @ParameterizedTest
  @EnumSource(Precision.class)
  void matchesFixture(Precision p) {
    JsonNode dpo = Fixture.section("dpo");
    JsonNode in = dpo.get("inputs"), exp = dpo.get("expected");
    double beta = dpo.get("beta").asDouble();
    try (var s = NativeScope.open()) {
      Tensor pc = tensor(in.get("policy_chosen_logps"), p.type); // (4)
      Tensor pr = tensor(in.get("policy_rejected_logps"), p.type); // (4)
      Tensor rc = tensor(in.get("reference_chosen_logps"), p.type); // (4)
      Tensor rr = tensor(in.get("reference_rejected_logps"), p.type); // (4)
      assertClose("logits", DpoLoss.logits(pc, pr, rc, rr), exp.get("logits"), p.tol);

      check("sigmoid", DpoLoss.compute(new DpoLoss.Sigmoid(beta), pc, pr, rc, rr), exp.get("sigmoid"), p.tol);
      check("cdpo", DpoLoss.compute(new DpoLoss.Conservative(beta, 0.1), pc, pr, rc, rr),
          exp.get("sigmoid_label_smoothing_0.1"), p.tol);
      check("hinge", DpoLoss.compute(new DpoLoss.Hinge(beta), pc, pr, rc, rr), exp.get("hinge"), p.tol);
      check("ipo", DpoLoss.compute(new DpoLoss.Ipo(beta), pc, pr, rc, rr), exp.get("ipo"), p.tol);

      Tensor lc = tensor(in.get("chosen_lengths"), p.type); // (4)
      Tensor lr = tensor(in.get("rejected_lengths"), p.type); // (4)
      var ipoNorm = DpoLoss.compute(new DpoLoss.Ipo(beta), pc.div(lc), pr.div(lr), rc.div(lc), rr.div(lr));
      check("ipo length-normalised", ipoNorm, exp.get("ipo_length_normalized"), p.tol);

      var r = DpoLoss.compute(new DpoLoss.Sigmoid(beta), pc, pr, rc, rr);
      assertClose("chosen rewards", r.chosenRewards(), exp.get("chosen_rewards"), p.tol);
      assertClose("rejected rewards", r.rejectedRewards(), exp.get("rejected_rewards"), p.tol);
      assertClose("reward accuracy", r.metrics().rewardAccuracy(), exp.get("reward_accuracy").asDouble(), p.tol);
      assertClose("reward margin", r.metrics().rewardMargin(), exp.get("reward_margin").asDouble(), p.tol);
      assertClose("chosen reward mean", r.metrics().chosenReward(), mean(exp.get("chosen_rewards")), p.tol);
      assertClose("rejected reward mean", r.metrics().rejectedReward(), mean(exp.get("rejected_rewards")), p.tol);
      assertClose("policy chosen logps", r.metrics().policyChosenLogps(), mean(in.get("policy_chosen_logps")), p.tol);
      assertClose("policy rejected logps", r.metrics().policyRejectedLogps(), mean(in.get("policy_rejected_logps")),
          p.tol);
    }
  }

  private static void check(String what, DpoLoss.Result r, JsonNode exp, double tol) {
    assertClose(what + " loss", r.loss(), exp.get("loss"), tol);
    assertClose(what + " metrics.loss", r.metrics().loss(), exp.get("loss").asDouble(), tol);
    assertClose(what + " per example", r.losses(), exp.get("per_example"), tol);
  }

  private static double mean(JsonNode a) {
    double sum = 0;
    for (JsonNode x : a) sum += x.asDouble();
    return sum / a.size();
  }

  @Test
  void equalLogProbsGiveLog2AndHandCheckableVariants() {
    try (var s = NativeScope.open()) {
      Tensor x = of(F64, -5, -7); // (2)
      assertThat(DpoLoss.compute(new DpoLoss.Sigmoid(), x, x, x, x).metrics().loss()).isCloseTo(Math.log(2),
          offset(1e-12));
      assertThat(DpoLoss.compute(new DpoLoss.Conservative(0.5, 0.2), x, x, x, x).metrics().loss())
          .isCloseTo(Math.log(2), offset(1e-12));
      assertThat(DpoLoss.compute(new DpoLoss.Hinge(0.5), x, x, x, x).metrics().loss()).isCloseTo(1.0, offset(1e-12));
      assertThat(DpoLoss.compute(new DpoLoss.Ipo(0.5), x, x, x, x).metrics().loss()).isCloseTo(1.0, offset(1e-12));
      var m = DpoLoss.compute(new DpoLoss.Sigmoid(), x, x, x, x).metrics();
      assertThat(m.rewardAccuracy()).isZero();
      assertThat(m.rewardMargin()).isZero();
      assertThat(m.policyChosenLogps()).isEqualTo(-6.0);
    }
  }

  @Test
  void gradientFlowsToPolicyOnlyAndMatchesSigmoidDerivative() {
    try (var s = NativeScope.open()) {
      Tensor pc = of(F64, -3.0).requires_grad_(true); // (1)
      Tensor pr = of(F64, -3.0).requires_grad_(true); // (1)
      Tensor ref = of(F64, -3.0).requires_grad_(true); // (1)
      DpoLoss.compute(new DpoLoss.Sigmoid(0.1), pc, pr, ref, ref).loss().backward();
      // d/d pc of -log sigma(beta h) at h = 0: -beta * (1 - sigma(0)) = -0.05
      assertThat(Fixture.values(pc.grad())[0]).isCloseTo(-0.05, offset(1e-12));
      assertThat(Fixture.values(pr.grad())[0]).isCloseTo(0.05, offset(1e-12));
      assertThat(ref.grad().defined()).isFalse(); // the reference is detached
    }
  }

  @Test
  void rejectsBadBetaSmoothingAndShapes() {
    assertThatThrownBy(() -> new DpoLoss.Sigmoid(0)).hasMessageContaining("beta");
    assertThatThrownBy(() -> new DpoLoss.Ipo(-1)).hasMessageContaining("beta");
    assertThatThrownBy(() -> new DpoLoss.Conservative(0.1, 0.5)).hasMessageContaining("labelSmoothing");
    try (var s = NativeScope.open()) {
      Tensor a = of(F64, 1, 2), b = of(F64, 1);
      assertThatThrownBy(() -> DpoLoss.compute(new DpoLoss.Sigmoid(), a, a, b, a))
          .hasMessageContaining("referenceChosen");
    }
  }

  /** Per-pair losses of {@code v} on h = (pc - pr) - (rc - rr) with the given soft labels (null: hard). */
  private static double[] soft(DpoLoss.Variant v, double[] h, double[] p) {
    Tensor pc = of(F64, h), zero = of(F64, new double[h.length]); // (B)
    Tensor prob = p == null ? null : of(F64, p); // (B)
    return Fixture.values(DpoLoss.compute(v, new DpoLoss.Inputs(pc, zero, zero, zero, null, null, prob), null).losses());
  }

  private static double logSigmoid(double z) { return -Math.log1p(Math.exp(-z)); }

  @Test
  void softLabelsAreBradleyTerryTargetsForSigmoidAndCdpo() {
    try (var s = NativeScope.open()) {
      double[] h = {2.0, -1.0, 0.5};
      double[] p = {0.7, 0.9, 1.0};
      double beta = 0.5;
      double[] sig = soft(new DpoLoss.Sigmoid(beta), h, p);
      for (int i = 0; i < h.length; i++) { // -(p log sigma(beta h) + (1 - p) log sigma(-beta h)), by hand
        double expected = -(p[i] * logSigmoid(beta * h[i]) + (1 - p[i]) * logSigmoid(-beta * h[i]));
        assertThat(sig[i]).as("sigmoid pair %d", i).isCloseTo(expected, offset(1e-12));
      }
      assertThat(soft(new DpoLoss.Sigmoid(beta), h, new double[] {1, 1, 1})).containsExactly(soft(new DpoLoss.Sigmoid(beta), h, null), offset(1e-12));
      // cDPO flips a soft label with probability eps: target 0.7 * 0.8 + 0.3 * 0.2 = 0.62 for eps 0.2.
      double[] c = soft(new DpoLoss.Conservative(beta, 0.2), h, p);
      assertThat(c[0]).isCloseTo(-(0.62 * logSigmoid(1.0) + 0.38 * logSigmoid(-1.0)), offset(1e-12));
      assertThat(c[2]).isCloseTo(soft(new DpoLoss.Conservative(beta, 0.2), h, null)[2], offset(1e-12));
      // Losses that read hard labels only ignore the probabilities.
      assertThat(soft(new DpoLoss.Hinge(beta), h, p)).containsExactly(soft(new DpoLoss.Hinge(beta), h, null), offset(1e-12));
      assertThat(new DpoLoss.Sigmoid().readsSoftLabels()).isTrue();
      assertThat(new DpoLoss.Ipo(0.1).readsSoftLabels()).isFalse();
    }
  }

  @Test
  void aSoftLabelsGradientVanishesWhereTheImpliedPreferenceEqualsIt() {
    try (var s = NativeScope.open()) {
      double beta = 0.1, p = 0.7, h = Math.log(p / (1 - p)) / beta; // sigma(beta h) = p
      Tensor pc = of(F64, h).requires_grad_(true), zero = of(F64, 0.0); // (1)
      DpoLoss.compute(new DpoLoss.Sigmoid(beta), new DpoLoss.Inputs(pc, zero, zero, zero, null, null, of(F64, p)), null)
          .loss().backward();
      assertThat(Fixture.values(pc.grad())[0]).isCloseTo(0.0, offset(1e-12));
      Tensor hard = of(F64, h).requires_grad_(true); // (1): a hard label still pushes: -beta (1 - p)
      DpoLoss.compute(new DpoLoss.Sigmoid(beta), hard, zero, zero, zero).loss().backward();
      assertThat(Fixture.values(hard.grad())[0]).isCloseTo(-beta * (1 - p), offset(1e-12));
      assertThatThrownBy(() -> new DpoLoss.Inputs(pc, zero, zero, zero, null, null, of(F64, 0.5, 0.5)))
          .hasMessageContaining("chosenProbability");
    }
  }
}

package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.of;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;

/** Hand-checked GRPO policy loss: aggregations, gradient, clipping and the k3 penalty. */
class GrpoLossTest {
  private static final ScalarType F64 = ScalarType.Double;

  // row 0: 2 real tokens, A = 1; row 1: 1 real token, A = -2; T = 3
  private static Tensor logps() { return of(F64, -1, -2, 0, -0.5, 0, 0).reshape(2, 3).requires_grad_(true); }
  private static Tensor mask() { return of(F64, 1, 1, 0, 1, 0, 0).reshape(2, 3); }
  private static Tensor adv() { return of(F64, 1, -2); }

  private static GrpoLoss.Config cfg(GrpoLoss.Aggregation a) { return new GrpoLoss.Config(0.2, 0.2, 0.0, a); }

  @Test
  void onPolicyLossIsMinusAdvantageUnderEachAggregation() {
    try (var s = NativeScope.open()) {
      // ratio = 1 everywhere: per-token loss = -A
      double seq = GrpoLoss.compute(cfg(new GrpoLoss.SequenceMean()), logps(), null, null, adv(), mask())
          .metrics().loss();
      assertThat(seq).isCloseTo((-1 + 2) / 2.0, offset(1e-12));
      double tok = GrpoLoss.compute(cfg(new GrpoLoss.TokenMean()), logps(), null, null, adv(), mask())
          .metrics().loss();
      assertThat(tok).isCloseTo((-1 - 1 + 2) / 3.0, offset(1e-12));
      double dr = GrpoLoss.compute(cfg(new GrpoLoss.FixedLength(4)), logps(), null, null, adv(), mask())
          .metrics().loss();
      assertThat(dr).isCloseTo((-1 - 1 + 2) / 8.0, offset(1e-12));
    }
  }

  @Test
  void gradientIsMinusAdvantageOverRowLengthAndBatch() {
    try (var s = NativeScope.open()) {
      Tensor lp = logps();
      GrpoLoss.compute(GrpoLoss.Config.DEFAULT, lp, null, null, adv(), mask()).loss().backward();
      assertThat(Fixture.values(lp.grad())).containsExactly(new double[] {-0.25, -0.25, 0, 1, 0, 0}, offset(1e-12));
    }
  }

  @Test
  void clippedTokensCountAndStopTheGradient() {
    try (var s = NativeScope.open()) {
      Tensor lp = logps();
      Tensor old = lp.detach().sub(of(F64, 0.5, 0, 0, 0, 0, 0).reshape(2, 3)); // (2, 3) token (0,0) ratio e^0.5
      var r = GrpoLoss.compute(GrpoLoss.Config.DEFAULT, lp, old, null, adv(), mask());
      assertThat(r.metrics().clipRatio()).isCloseTo(1 / 3.0, offset(1e-12)); // A > 0 and ratio > 1.2
      // row 0: (-1.2 - 1) / 2, row 1: 2
      assertThat(r.metrics().loss()).isCloseTo(((-1.2 - 1) / 2 + 2) / 2, offset(1e-12));
      r.loss().backward();
      assertThat(Fixture.values(lp.grad())[0]).isZero();
    }
  }

  @Test
  void klPenaltyUsesK3AgainstTheReference() {
    try (var s = NativeScope.open()) {
      Tensor lp = logps();
      Tensor ref = lp.detach().add(of(F64, Math.log(2), 0, 0, 0, 0, 0).reshape(2, 3)); // (2, 3) x = log 2 at (0,0)
      var cfg = new GrpoLoss.Config(0.2, 0.2, 0.1, new GrpoLoss.TokenMean());
      var r = GrpoLoss.compute(cfg, lp, null, ref, adv(), mask());
      double k3 = 2 - Math.log(2) - 1;
      assertThat(r.metrics().kl()).isCloseTo(k3 / 3, offset(1e-12));
      assertThat(r.metrics().loss()).isCloseTo((-1 - 1 + 2 + 0.1 * k3) / 3, offset(1e-12));
    }
  }

  @Test
  void rejectsMissingReferenceAndBadShapes() {
    assertThatThrownBy(() -> new GrpoLoss.FixedLength(0)).hasMessageContaining("maxCompletionLength");
    assertThatThrownBy(() -> new GrpoLoss.Config(0.2, 0.2, 0, null)).hasMessageContaining("aggregation");
    try (var s = NativeScope.open()) {
      var withKl = new GrpoLoss.Config(0.2, 0.2, 0.04, new GrpoLoss.SequenceMean());
      assertThatThrownBy(() -> GrpoLoss.compute(withKl, logps(), null, null, adv(), mask()))
          .hasMessageContaining("refLogps");
      assertThatThrownBy(() -> GrpoLoss.compute(GrpoLoss.Config.DEFAULT, logps(), null, null, of(F64, 1), mask()))
          .hasMessageContaining("advantages");
    }
  }

  @Test
  void trlLossTypeNamesMapToTheirAggregationClipAndImportanceLevel() {
    assertThat(GrpoLoss.named("grpo", null, null, 0, 64).aggregation()).isEqualTo(new GrpoLoss.SequenceMean());
    assertThat(GrpoLoss.named("bnpo", null, null, 0, 64).aggregation()).isEqualTo(new GrpoLoss.TokenMean());
    assertThat(GrpoLoss.named("DAPO", null, null, 0, 64).aggregation()).isEqualTo(new GrpoLoss.GlobalTokenMean());
    assertThat(GrpoLoss.named("dr_grpo", null, null, 0, 64).aggregation()).isEqualTo(new GrpoLoss.FixedLength(64));
    GrpoLoss.Config gspo = GrpoLoss.named("gspo", null, null, 0.04, 64);
    assertThat(gspo.importance()).isEqualTo(GrpoLoss.ImportanceLevel.SEQUENCE);
    assertThat(gspo.epsLow()).isEqualTo(3e-4);
    assertThat(gspo.epsHigh()).isEqualTo(4e-4);
    assertThat(gspo.beta()).isEqualTo(0.04);
    GrpoLoss.Config dapo = GrpoLoss.named("dapo", 0.2, 0.28, 0, 64); // clip-higher
    assertThat(dapo.epsLow()).isEqualTo(0.2);
    assertThat(dapo.epsHigh()).isEqualTo(0.28);
    assertThat(dapo.importance()).isEqualTo(GrpoLoss.ImportanceLevel.TOKEN);
    assertThat(GrpoLoss.named("gspo", 0.1, null, 0, 64).epsHigh()).as("epsilon_high follows an explicit epsilon").isEqualTo(0.1);
    assertThatThrownBy(() -> GrpoLoss.named("ppo", null, null, 0, 64)).hasMessageContaining("grpo, bnpo, dapo, dr_grpo, gspo")
        .hasMessageContaining("'ppo'");
  }
}

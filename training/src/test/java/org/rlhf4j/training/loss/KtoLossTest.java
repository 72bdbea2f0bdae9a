package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.of;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;

/** KTO, APO-zero-unpaired and BCO on cases small enough to check by hand (TRL kto_loss / bco_loss definitions). */
class KtoLossTest {
  private static final ScalarType F64 = ScalarType.Double;
  private static final double TOL = 1e-12;

  private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

  @Test void policyEqualToReferenceGivesOneHalfPerExampleTimesItsWeight() {
    try (var s = NativeScope.open()) {
      Tensor x = of(F64, -4, -6, -5); // (3)
      var in = new KtoLoss.Inputs(x, x, new boolean[] {true, false, false}, x, x);
      var r = KtoLoss.compute(new KtoLoss.Kto(0.1, 2.0, 1.0), in, null);
      assertThat(Fixture.values(r.losses())).containsExactly(new double[] {1.0, 0.5, 0.5}, offset(TOL));
      assertThat(r.metrics().loss()).isCloseTo(2.0 / 3, offset(TOL));
      assertThat(r.metrics().kl()).isEqualTo(0.0);
      assertThat(r.metrics().chosenCount()).isEqualTo(1);
      assertThat(r.metrics().rejectedCount()).isEqualTo(2);
      assertThat(r.metrics().chosenLogps()).isCloseTo(-4, offset(TOL));
      assertThat(r.metrics().rejectedLogps()).isCloseTo(-5.5, offset(TOL));
    }
  }

  @Test void referencePointIsTheMeanMismatchedLogRatioClampedAtZero() {
    try (var s = NativeScope.open()) {
      assertThat(KtoLoss.referencePoint(of(F64, -1, -2), of(F64, -3, -2))).isCloseTo(1.0, offset(TOL)); // mean(2, 0)
      assertThat(KtoLoss.referencePoint(of(F64, -4, -5), of(F64, -3, -2))).isEqualTo(0.0); // mean(-1, -3) < 0
      assertThat(KtoLoss.referencePoint(null, null)).isEqualTo(0.0);
    }
  }

  @Test void ktoLossesAgainstHandComputedValues() {
    try (var s = NativeScope.open()) {
      // r = policy - reference = (2, -1); z0 = mean((-1) - (-3), (-2) - (-2)) = 1; beta 0.5
      Tensor pol = of(F64, -3, -6), ref = of(F64, -5, -5);
      var in = new KtoLoss.Inputs(pol, ref, new boolean[] {true, false}, of(F64, -1, -2), of(F64, -3, -2));
      var r = KtoLoss.compute(new KtoLoss.Kto(0.5, 1.0, 1.5), in, null);
      double d = 1 - sigmoid(0.5 * (2 - 1)), u = 1.5 * (1 - sigmoid(0.5 * (1 - (-1))));
      assertThat(Fixture.values(r.losses())).containsExactly(new double[] {d, u}, offset(TOL));
      assertThat(r.metrics().loss()).isCloseTo((d + u) / 2, offset(TOL));
      assertThat(r.metrics().kl()).isCloseTo(1.0, offset(TOL));
      assertThat(r.metrics().chosenReward()).isCloseTo(1.0, offset(TOL)); // beta * 2
      assertThat(r.metrics().rejectedReward()).isCloseTo(-0.5, offset(TOL));
      assertThat(r.metrics().named(false)).containsEntry("rewards/margins", 1.5).containsEntry("kl", 1.0)
          .containsEntry("count/chosen", 1.0).doesNotContainKey("delta");
    }
  }

  @Test void gradientsFlowIntoThePolicyOnlyNotTheReferenceOrTheKlPairs() {
    try (var s = NativeScope.open()) {
      Tensor pol = of(F64, -3, -6).requires_grad_(true), ref = of(F64, -5, -5).requires_grad_(true);
      Tensor pkl = of(F64, -1, -2).requires_grad_(true), rkl = of(F64, -3, -2).requires_grad_(true);
      var in = new KtoLoss.Inputs(pol, ref, new boolean[] {true, false}, pkl, rkl);
      KtoLoss.compute(new KtoLoss.Kto(0.5, 1.0, 1.0), in, null).loss().backward();
      double sd = sigmoid(0.5), su = sigmoid(1.0);
      // d/dr (1 - sig(b (r - z0))) / B = -b sig (1 - sig) / 2; d/dr (1 - sig(b (z0 - r))) / B = +b sig (1 - sig) / 2
      assertThat(Fixture.values(pol.grad())).containsExactly(new double[] {-0.5 * sd * (1 - sd) / 2, 0.5 * su * (1 - su) / 2},
          offset(TOL));
      assertThat(ref.grad().defined()).isFalse();
      assertThat(pkl.grad().defined()).isFalse(); // z0 is detached (TRL)
      assertThat(rkl.grad().defined()).isFalse();
    }
  }

  @Test void apoZeroUnpairedHasNoReferencePoint() {
    try (var s = NativeScope.open()) {
      Tensor pol = of(F64, -3, -6), ref = of(F64, -5, -5);
      var r = KtoLoss.compute(new KtoLoss.ApoZeroUnpaired(0.5, 1, 1), new KtoLoss.Inputs(pol, ref,
          new boolean[] {true, false}, null, null), null);
      assertThat(Fixture.values(r.losses())).containsExactly(new double[] {1 - sigmoid(1.0), sigmoid(-0.5)}, offset(TOL));
      assertThat(r.metrics().kl()).isEqualTo(0.0);
    }
  }

  @Test void bcoShiftsByTheRunningMeanOfTheRewards() {
    try (var s = NativeScope.open()) {
      DpoLoss.RewardBaseline baseline = new DpoLoss.RewardBaseline();
      var bco = new KtoLoss.Bco(1.0);
      // batch 1: rewards (2, -1), delta = 0.5
      var r1 = KtoLoss.compute(bco, new KtoLoss.Inputs(of(F64, -3, -6), of(F64, -5, -5), new boolean[] {true, false},
          null, null), baseline);
      assertThat(r1.metrics().delta()).isCloseTo(0.5, offset(TOL));
      assertThat(Fixture.values(r1.losses())).containsExactly(
          new double[] {-Math.log(sigmoid(2 - 0.5)), -Math.log(sigmoid(-(-1 - 0.5)))}, offset(TOL));
      // batch 2: rewards (4, 4), running mean over four rewards (2 - 1 + 4 + 4) / 4 = 2.25
      var r2 = KtoLoss.compute(bco, new KtoLoss.Inputs(of(F64, -1, -1), of(F64, -5, -5), new boolean[] {false, false},
          null, null), baseline);
      assertThat(r2.metrics().delta()).isCloseTo(2.25, offset(TOL));
      assertThat(r2.metrics().loss()).isCloseTo(-Math.log(sigmoid(-(4 - 2.25))), offset(TOL));
      assertThat(r2.metrics().named(true)).containsKey("delta").doesNotContainKeys("rewards/chosen", "rewards/margins");
    }
  }

  @Test void rejectsBadInput() {
    try (var s = NativeScope.open()) {
      Tensor x = of(F64, -1, -2);
      assertThatThrownBy(() -> new KtoLoss.Inputs(x, x, new boolean[] {true}, null, null))
          .hasMessageContaining("one label per completion");
      assertThatThrownBy(() -> KtoLoss.compute(new KtoLoss.Kto(), new KtoLoss.Inputs(x, x, new boolean[] {true, false},
          null, null), null)).hasMessageContaining("KL");
      assertThatThrownBy(() -> new KtoLoss.Kto(0.1, 0, 1)).hasMessageContaining("desirable_weight");
      assertThatThrownBy(() -> new KtoLoss.Inputs(x, x, new boolean[] {true, false}, x, null))
          .hasMessageContaining("both");
    }
  }
}

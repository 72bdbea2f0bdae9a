package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.of;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.DpoVariants.ApoDown;
import org.rlhf4j.training.loss.DpoVariants.ApoZero;
import org.rlhf4j.training.loss.DpoVariants.Aot;
import org.rlhf4j.training.loss.DpoVariants.AotPair;
import org.rlhf4j.training.loss.DpoVariants.BcoPair;
import org.rlhf4j.training.loss.DpoVariants.ExoPair;
import org.rlhf4j.training.loss.DpoVariants.NcaPair;
import org.rlhf4j.training.loss.DpoVariants.Orpo;
import org.rlhf4j.training.loss.DpoVariants.Robust;
import org.rlhf4j.training.loss.DpoVariants.Sft;
import org.rlhf4j.training.loss.DpoVariants.SimPo;
import org.rlhf4j.training.loss.DpoVariants.SppoHard;
import org.rlhf4j.training.loss.Fixture.Precision;

/**
 * Each preference variant against a hand-checkable case and an independent float64 computation:
 * the expected numbers are printed by {@code training/src/test/python/reference_losses.py} (numpy,
 * written from the papers' definitions), pasted here.
 */
class DpoVariantsTest {
  private static final ScalarType F64 = ScalarType.Double;

  /** The B = 4 batch of the reference script: summed log-probs and response lengths. */
  private static DpoLoss.Inputs batch(ScalarType t) {
    return new DpoLoss.Inputs(of(t, -12.5, -30.25, -8.0, -45.5), of(t, -14.0, -29.5, -9.75, -40.0),
        of(t, -13.0, -31.0, -8.5, -44.0), of(t, -13.5, -30.0, -9.0, -41.5), of(t, 5, 12, 4, 20), of(t, 6, 11, 5, 17));
  }

  /** The script's AOT batch, where sorting changes which gaps are paired. */
  private static DpoLoss.Inputs aotBatch(ScalarType t) {
    return new DpoLoss.Inputs(of(t, -5, -7, -6, -4), of(t, -6, -5, -8, -9), of(t, -4.5, -7.5, -5, -6),
        of(t, -7, -5.5, -6, -8), null, null);
  }

  private static void check(String what, DpoLoss.Variant v, DpoLoss.Inputs in, double loss, double[] perExample,
      double tol) {
    DpoLoss.Result r = DpoLoss.compute(v, in, null);
    assertClose(what + " loss", r.metrics().loss(), loss, tol);
    double[] got = Fixture.values(r.losses());
    assertThat(got).as(what + " per example").hasSize(perExample.length);
    for (int i = 0; i < got.length; i++) assertClose(what + "[" + i + "]", got[i], perExample[i], tol);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void matchesTheIndependentComputation(Precision p) {
    try (var s = NativeScope.open()) {
      DpoLoss.Inputs in = batch(p.type);
      check("robust", new Robust(0.1, 0.1), in, 0.704581560846,
          new double[] {0.631896660074, 0.677600303526, 0.616974035317, 0.891855244469}, p.tol);
      check("bco_pair", new BcoPair(0.1), in, 1.394574116209,
          new double[] {1.336958333869, 1.374458333869, 1.324926858174, 1.541952938925}, p.tol);
      check("apo_zero", new ApoZero(0.1), in, 1.003095616491,
          new double[] {0.975005207032, 0.993756180606, 0.968761387637, 1.074859690687}, p.tol);
      check("apo_down", new ApoDown(0.1), in, 1.004577611241,
          new double[] {0.987518209005, 1.012491541379, 0.98128802311, 1.037012671468}, p.tol);
      check("nca_pair", new NcaPair(0.1), in, 1.391488242321,
          new double[] {1.361919296027, 1.381255035247, 1.355864542433, 1.466914095579}, p.tol);
      check("sppo_hard", new SppoHard(0.1), in, 52.90625, new double[] {40.5, 48.3125, 38.3125, 84.5}, p.tol);
      check("exo_pair", new ExoPair(0.1, 1e-3), in, 2.785558507727,
          new double[] {2.589954025845, 2.71814385878, 2.547624537325, 3.286511608956}, p.tol);
      check("simpo", new SimPo(0.1, 0.5), in, 0.973748886865,
          new double[] {0.984483901052, 0.964086823743, 0.977192217181, 0.969232605484}, p.tol);
      check("simpo beta 2", new SimPo(2.0, 1.0), in, 1.311234676207,
          new double[] {1.567295858411, 1.088559803911, 1.387335325115, 1.201747717391}, p.tol);
      check("orpo", new Orpo(0.1), in, 2.416867004821,
          new double[] {2.426444698139, 2.408558229424, 2.419820680906, 2.412644410815}, p.tol);
      check("aot", new Aot(0.5, 0.1), aotBatch(p.type), 0.614092655756,
          new double[] {0.69314718056, 0.69314718056, 0.69314718056, 0.376929081345}, p.tol);
      check("aot_pair", new AotPair(0.5, 0.1), aotBatch(p.type), 0.585560142200,
          new double[] {0.52407698418, 0.600939419879, 0.69314718056, 0.52407698418}, p.tol);
      var mpo = DpoVariants.mix(List.of(new DpoLoss.Sigmoid(0.1), new BcoPair(0.1), new Sft(0.1)), List.of(0.8, 0.2, 1.0));
      check("mixture", mpo, in, 3.188891047529,
          new double[] {3.130469970442, 3.167032885204, 3.118625575498, 3.33943575897}, p.tol);

      var orpo = DpoLoss.compute(new Orpo(0.1), in, null).metrics();
      assertClose("nll_loss", orpo.extra().get("nll_loss"), 2.347560975610, p.tol);
      assertClose("log_odds_chosen", orpo.extra().get("log_odds_chosen"), 0.004830114558, p.tol);
      assertClose("log_odds_ratio", orpo.extra().get("log_odds_ratio"), -0.693060292111, p.tol);
    }
  }

  @Test
  void equalLogProbsGiveHandCheckableValues() {
    try (var s = NativeScope.open()) {
      Tensor x = of(F64, -5, -7), len = of(F64, 5, 7); // (2) mean log-prob -1 on both sides
      DpoLoss.Inputs in = new DpoLoss.Inputs(x, x, x, x, len, len);
      double log2 = Math.log(2), beta = 0.5;
      assertThat(loss(new Robust(beta, 0.2), in)).isCloseTo(log2, offset(1e-12)); // [(0.8 - 0.2) log 2] / 0.6
      assertThat(loss(new BcoPair(beta), in)).isCloseTo(2 * log2, offset(1e-12)); // delta 0
      assertThat(loss(new ApoZero(beta), in)).isCloseTo(1.0, offset(1e-12)); // 1 - 1/2 + 1/2
      assertThat(loss(new ApoDown(beta), in)).isCloseTo(1.0, offset(1e-12)); // 1/2 + 1 - 1/2
      assertThat(loss(new NcaPair(beta), in)).isCloseTo(2 * log2, offset(1e-12));
      assertThat(loss(new SppoHard(beta), in)).isCloseTo(2.0, offset(1e-12)); // 2 (1/(2 beta))^2
      double e = 0.01; // 1/2 (log 1/2 - log 0.99) + 1/2 (log 1/2 - log 0.01)
      assertThat(loss(new ExoPair(beta, e), in)).isCloseTo(-log2 - 0.5 * Math.log(e * (1 - e)), offset(1e-12));
      assertThat(loss(new Aot(beta, 0.1), in)).isCloseTo(log2, offset(1e-12));
      assertThat(loss(new AotPair(beta, 0.1), in)).isCloseTo(log2, offset(1e-12));
      assertThat(loss(new SimPo(beta, 1.0), in)).isCloseTo(Math.log1p(Math.E), offset(1e-12)); // -log sigma(-1)
      double nll = 12.0 / 12; // -(-5 - 7) / (5 + 7)
      assertThat(loss(new Orpo(beta), in)).isCloseTo(nll + beta * log2, offset(1e-12)); // log odds ratio 0
      assertThat(loss(new Sft(beta), in)).isCloseTo(nll, offset(1e-12));
    }
  }

  private static double loss(DpoLoss.Variant v, DpoLoss.Inputs in) { return DpoLoss.compute(v, in, null).metrics().loss(); }

  @Test
  void referenceFreeVariantsNeedNoReferenceAndRewardTheMeanLogProb() {
    try (var s = NativeScope.open()) {
      DpoLoss.Inputs full = batch(F64), none = new DpoLoss.Inputs(full.policyChosen(), full.policyRejected(), null, null,
          full.chosenLengths(), full.rejectedLengths());
      for (DpoLoss.Variant v : List.of(new SimPo(0.1, 0.5), new Orpo(0.1), new Sft(0.1))) {
        assertThat(v.needsReference()).as(v.toString()).isFalse();
        assertThat(loss(v, none)).as(v + " ignores the reference").isEqualTo(loss(v, full));
      }
      var r = DpoLoss.compute(new SimPo(0.1, 0.5), none, null);
      assertThat(Fixture.values(r.chosenRewards())).containsExactly(new double[] {-0.25, -30.25 / 120, -0.2, -45.5 / 200},
          offset(1e-12)); // beta * pi_c / |c|
      assertThat(r.metrics().policyChosenLogps()).isCloseTo((-2.5 - 30.25 / 12 - 2 - 2.275) / 4, offset(1e-12));
      assertThatThrownBy(() -> DpoLoss.compute(new DpoLoss.Sigmoid(), none, null)).hasMessageContaining("reference");
      assertThatThrownBy(() -> DpoLoss.compute(new Orpo(0.1), full.policyChosen(), full.policyRejected(),
          full.referenceChosen(), full.referenceRejected())).hasMessageContaining("chosen NLL");
    }
  }

  @Test
  void bcoShiftsByTheRunningMeanOfAllRewardsSeen() {
    try (var s = NativeScope.open()) {
      DpoLoss.RewardBaseline baseline = new DpoLoss.RewardBaseline();
      DpoLoss.compute(new BcoPair(0.1), batch(F64), baseline);
      assertThat(baseline.mean()).isCloseTo(0.0125, offset(1e-12)); // the script's first delta
      // second batch: chosen log-ratios (0.5, -1, 2, 0), rejected (-0.5, 1.5, -2, 1)
      DpoLoss.Inputs second = new DpoLoss.Inputs(of(F64, -2.5, -4, -1, -3), of(F64, -4.5, -2.5, -6, -3),
          of(F64, -3, -3, -3, -3), of(F64, -4, -4, -4, -4), null, null);
      DpoLoss.Result r = DpoLoss.compute(new BcoPair(0.1), second, baseline);
      assertThat(baseline.mean()).isCloseTo(0.015625, offset(1e-12));
      assertThat(baseline.count()).isEqualTo(16);
      assertThat(r.metrics().loss()).isCloseTo(1.371438231044, offset(1e-9));
      assertThat(Fixture.values(r.losses()))
          .containsExactly(new double[] {1.336980292432, 1.515219957604, 1.196338167018, 1.437214507121}, offset(1e-9));
    }
  }

  @Test
  void gradientsMatchTheDerivatives() {
    try (var s = NativeScope.open()) {
      // SimPO, one pair: d/d pi_c of -log sigma(beta (pi_c/lc - pi_r/lr) - gamma) = -beta/lc * sigma(-m)
      Tensor pc = of(F64, -6.0).requires_grad_(true), pr = of(F64, -9.0).requires_grad_(true); // (1), (1)
      var in = new DpoLoss.Inputs(pc, pr, null, null, of(F64, 3), of(F64, 3));
      DpoLoss.compute(new SimPo(2.0, 0.5), in, null).loss().backward();
      double m = 2.0 * (-2 + 3) - 0.5, sigNeg = 1 / (1 + Math.exp(m));
      assertThat(Fixture.values(pc.grad())[0]).isCloseTo(-2.0 / 3 * sigNeg, offset(1e-12));
      assertThat(Fixture.values(pr.grad())[0]).isCloseTo(2.0 / 3 * sigNeg, offset(1e-12));
      // ORPO near P = 1: log(1 - P) from expm1 keeps the log odds and the gradient finite
      Tensor c = of(F64, -1e-4, -0.5).requires_grad_(true), r = of(F64, -2.0, -0.01); // mean log-probs (lengths 1)
      var near = new DpoLoss.Inputs(c, r, null, null, of(F64, 1, 1), of(F64, 1, 1));
      DpoLoss.Terms t = DpoLoss.Terms.of(new Orpo(0.1), near, null);
      assertThat(Fixture.values(Orpo.logOdds(t))).containsExactly(new double[] {11.064876913691, -4.167413889758},
          offset(1e-9));
      DpoLoss.compute(new Orpo(0.1), near, null).loss().backward();
      for (double g : Fixture.values(c.grad())) assertThat(g).isFinite();
    }
  }

  @Test
  void mixturesAndValidation() {
    DpoLoss.Variant simpo = new SimPo(0.1, 0.5);
    assertThat(DpoVariants.mix(List.of(simpo), null)).isSameAs(simpo);
    var mix = DpoVariants.mix(List.of(simpo, new DpoLoss.Sigmoid(0.2)), List.of(1.0, 0.5));
    assertThat(mix.needsReference()).isTrue();
    assertThat(mix.lengthNormalised()).isTrue(); // follows the first part
    assertThat(mix.beta()).isEqualTo(0.1);
    assertThatThrownBy(() -> DpoVariants.mix(List.of(simpo), List.of(1.0, 2.0))).hasMessageContaining("loss_weights");
    assertThatThrownBy(() -> new Robust(0.1, 0.5)).hasMessageContaining("labelSmoothing");
    assertThatThrownBy(() -> new ExoPair(0.1, 0)).hasMessageContaining("epsilon");
    assertThatThrownBy(() -> new SimPo(0.1, -1)).hasMessageContaining("gamma");
    assertThatThrownBy(() -> new DpoVariants.Part(simpo, -1)).hasMessageContaining("weight");
    assertThatThrownBy(() -> new DpoVariants.Mixture(List.of())).hasMessageContaining("at least one");
    // TRL's names and defaults
    assertThat(DpoVariants.named("simpo", 2.0, null, null)).isEqualTo(new SimPo(2.0, 0.5));
    assertThat(DpoVariants.named("exo_pair", 0.1, null, null)).isEqualTo(new ExoPair(0.1, 1e-3));
    assertThat(DpoVariants.named("robust", 0.1, null, null)).isEqualTo(new Robust(0.1, 0.1)); // 0 would be sigmoid
    assertThat(DpoVariants.named("robust", 0.1, 0.0, null)).isEqualTo(new Robust(0.1, 0.0));
    assertThat(DpoVariants.named("sigmoid", 0.1, 0.2, null)).isEqualTo(new DpoLoss.Conservative(0.1, 0.2));
    assertThat(DpoVariants.named(" AOT_UNPAIRED ", 0.1, null, null)).isEqualTo(new AotPair(0.1, 0));
    for (String n : DpoVariants.NAMES) assertThat(DpoVariants.named(n, 0.1, null, null)).as(n).isNotNull();
    assertThatThrownBy(() -> DpoVariants.named("kto", 0.1, null, null)).hasMessageContaining("loss_type must be one of");
  }
}

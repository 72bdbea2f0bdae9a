package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.of;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.Fixture.Precision;
import org.rlhf4j.training.loss.GrpoLoss.ImportanceLevel;

/**
 * The GRPO loss family (grpo, bnpo, dr_grpo, dapo, GSPO's sequence-level ratio, clip-higher)
 * against hand-checkable cases and the float64 numbers printed by
 * {@code training/src/test/python/reference_losses.py} (numpy, from the papers' definitions).
 */
class GrpoLossFamilyTest {
  private static final ScalarType F64 = ScalarType.Double;

  // the script's case: B = 3 completions of T = 4 slots after one policy step
  private static Tensor logps(ScalarType t) {
    return of(t, -1.0, -0.5, -2.0, 0.0, -0.3, -1.2, 0.0, 0.0, -0.7, -0.9, -1.1, -0.2).reshape(3, 4);
  }
  private static Tensor old(ScalarType t) {
    return of(t, -1.2, -0.4, -1.5, 0.0, -0.1, -1.0, 0.0, 0.0, -0.7, -1.3, -1.0, -0.6).reshape(3, 4);
  }
  private static Tensor ref(ScalarType t) {
    return of(t, -1.1, -0.6, -1.8, 0.0, -0.2, -1.1, 0.0, 0.0, -0.8, -1.0, -1.0, -0.4).reshape(3, 4);
  }
  private static Tensor mask(ScalarType t) { return of(t, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1).reshape(3, 4); }
  private static Tensor adv(ScalarType t) { return of(t, 1.0, -0.5, 0.8); }

  private static GrpoLoss.Result run(Precision p, GrpoLoss.Config cfg) {
    return GrpoLoss.compute(cfg, logps(p.type), old(p.type), ref(p.type), adv(p.type), mask(p.type));
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void tokenLevelAggregationsWithClipHigherAndKl(Precision p) {
    try (var s = NativeScope.open()) {
      double lo = 0.2, hi = 0.28, beta = 0.04;
      assertClose("grpo", run(p, new GrpoLoss.Config(lo, hi, beta, new GrpoLoss.SequenceMean())).metrics().loss(),
          -0.464522916440, p.tol);
      assertClose("bnpo", run(p, new GrpoLoss.Config(lo, hi, beta, new GrpoLoss.TokenMean())).metrics().loss(),
          -0.609212242195, p.tol);
      assertClose("dr_grpo", run(p, new GrpoLoss.Config(lo, hi, beta, new GrpoLoss.FixedLength(6))).metrics().loss(),
          -0.304606121098, p.tol);
      GrpoLoss.Metrics m = run(p, new GrpoLoss.Config(lo, hi, beta, new GrpoLoss.GlobalTokenMean())).metrics();
      assertClose("dapo on one micro-batch", m.loss(), -0.609212242195, p.tol);
      assertClose("kl", m.kl(), 0.008332881957, p.tol);
      assertClose("clip_ratio/region_mean", m.clipRatio(), 2 / 9.0, p.tol); // row 2: tokens 1 and 3 above 1.28
      assertClose("clip_ratio/high_mean", m.clipHigh(), 2 / 9.0, p.tol);
      assertThat(m.clipLow()).isZero();
      assertClose("clip_ratio/high_max", m.clipHighMax(), 0.5, p.tol);
      assertThat(m.clipLowMin()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void gspoUsesOneRatioPerSequence(Precision p) {
    try (var s = NativeScope.open()) {
      var tight = new GrpoLoss.Config(3e-4, 4e-4, 0.0, new GrpoLoss.SequenceMean(), ImportanceLevel.SEQUENCE);
      GrpoLoss.Metrics m = run(p, tight).metrics();
      assertClose("gspo grpo", m.loss(), -0.391881106348, p.tol);
      // sequence ratios 0.875 (A > 0), 0.819 (A < 0: low clipped), 1.191 (A > 0: high clipped), over 3 sequences
      assertClose("gspo clip low", m.clipLow(), 1 / 3.0, p.tol);
      assertClose("gspo clip high", m.clipHigh(), 1 / 3.0, p.tol);
      assertClose("gspo clip high max", m.clipHighMax(), 1.0, p.tol);
      assertClose("gspo bnpo", run(p, new GrpoLoss.Config(3e-4, 4e-4, 0, new GrpoLoss.TokenMean(),
          ImportanceLevel.SEQUENCE)).metrics().loss(), -0.536344439681, p.tol);
      assertClose("gspo eps 0.2", run(p, new GrpoLoss.Config(0.2, 0.2, 0, new GrpoLoss.SequenceMean(),
          ImportanceLevel.SEQUENCE)).metrics().loss(), -0.472934971931, p.tol);
    }
  }

  @Test
  void dapoNormalisesByTheWholeBatchAcrossMicroBatches() {
    try (var s = NativeScope.open()) {
      var dapo = new GrpoLoss.Config(0.2, 0.28, 0.0, new GrpoLoss.GlobalTokenMean());
      Tensor lp = logps(F64), o = old(F64), m = mask(F64), a = adv(F64);
      // the batch (9 tokens) in two micro-batches: rows {0, 1} (5 tokens) and {2} (4); the loop averages the two
      double first = GrpoLoss.compute(dapo, lp.narrow(0, 0, 2), o.narrow(0, 0, 2), null, a.narrow(0, 0, 2),
          m.narrow(0, 0, 2), 9 / 2.0).metrics().loss();
      double second = GrpoLoss.compute(dapo, lp.narrow(0, 2, 1), o.narrow(0, 2, 1), null, a.narrow(0, 2, 1),
          m.narrow(0, 2, 1), 9 / 2.0).metrics().loss();
      assertThat((first + second) / 2).isCloseTo(-0.609545557473, offset(1e-9)); // = sum / 9 over the batch
      assertThat(first / 2).isCloseTo(-0.212671120315, offset(1e-9));
      var bnpo = new GrpoLoss.Config(0.2, 0.28, 0.0, new GrpoLoss.TokenMean());
      double b1 = GrpoLoss.compute(bnpo, lp.narrow(0, 0, 2), o.narrow(0, 0, 2), null, a.narrow(0, 0, 2),
          m.narrow(0, 0, 2)).metrics().loss();
      assertThat(b1).isCloseTo(-0.212671120315 * 9 / 5, offset(1e-9)); // bnpo: this micro-batch's 5 tokens
    }
  }

  @Test
  void gspoHandCheckedValueAndGradient() {
    try (var s = NativeScope.open()) {
      Tensor lp = of(F64, -1.0, -2.0).reshape(1, 2).requires_grad_(true); // (1, 2)
      Tensor old = of(F64, -1.2, -1.6).reshape(1, 2); // log-ratios 0.2 and -0.4: mean -0.1
      var gspo = new GrpoLoss.Config(0.2, 0.2, 0, new GrpoLoss.SequenceMean(), ImportanceLevel.SEQUENCE);
      var r = GrpoLoss.compute(gspo, lp, old, null, of(F64, 1.0), of(F64, 1, 1).reshape(1, 2));
      double w = Math.exp(-0.1); // inside [0.8, 1.2]: loss = -w A
      assertThat(r.metrics().loss()).isCloseTo(-w, offset(1e-12));
      r.loss().backward();
      assertThat(Fixture.values(lp.grad())).containsExactly(new double[] {-w / 2, -w / 2}, offset(1e-12));
      // token level on the same numbers: e^0.2 = 1.221 is clipped to 1.2 (A > 0), e^-0.4 is not
      var token = GrpoLoss.compute(new GrpoLoss.Config(0.2, 0.2, 0, new GrpoLoss.SequenceMean()), lp.detach(), old, null,
          of(F64, 1.0), of(F64, 1, 1).reshape(1, 2));
      assertThat(token.metrics().loss()).isCloseTo(-(1.2 + Math.exp(-0.4)) / 2, offset(1e-12));
    }
  }

  @Test
  void onPolicyGspoEqualsGrpo() {
    try (var s = NativeScope.open()) {
      Tensor a = logps(F64).requires_grad_(true), b = logps(F64).requires_grad_(true);
      var seq = new GrpoLoss.Config(0.2, 0.2, 0.04, new GrpoLoss.SequenceMean(), ImportanceLevel.SEQUENCE);
      var tok = new GrpoLoss.Config(0.2, 0.2, 0.04, new GrpoLoss.SequenceMean());
      var rs = GrpoLoss.compute(seq, a, null, ref(F64), adv(F64), mask(F64));
      var rt = GrpoLoss.compute(tok, b, null, ref(F64), adv(F64), mask(F64));
      assertThat(rs.metrics().loss()).isCloseTo(rt.metrics().loss(), offset(1e-12));
      rs.loss().backward();
      rt.loss().backward();
      assertThat(Fixture.values(a.grad())).containsExactly(Fixture.values(b.grad()), offset(1e-12));
    }
  }

  @Test
  void overlongPenaltyAndZeroStdGroups() {
    OverlongPenalty o = new OverlongPenalty(20, 5);
    int[] lengths = {0, 15, 16, 18, 20, 21};
    double[] expected = {0, 0, -0.2, -0.6, -1, -1};
    for (int i = 0; i < lengths.length; i++) assertThat(o.of(lengths[i])).isCloseTo(expected[i], offset(1e-12));
    assertThatThrownBy(() -> new OverlongPenalty(10, 11)).hasMessageContaining("cacheLength");
    try (var s = NativeScope.open()) {
      Tensor g = of(F64, 1, 1, 1, 0, 1, 0, 0.5, 0.5, 0.5, 2, -1, 0.5).reshape(4, 3); // (P = 4, K = 3)
      assertThat(GroupAdvantages.zeroStd(g)).containsExactly(true, false, true, false);
      assertThat(GroupAdvantages.fracZeroStd(g)).isEqualTo(0.5);
    }
    assertThatThrownBy(() -> new GrpoLoss.Config(0.2, 0.2, 0, new GrpoLoss.TokenMean(), null))
        .hasMessageContaining("importance");
  }
}

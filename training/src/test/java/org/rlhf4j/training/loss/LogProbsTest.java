package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.of;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;

class LogProbsTest {
  private static final ScalarType F64 = ScalarType.Double;

  @Test
  void gatherPicksLogSoftmaxOfTheLabel() {
    try (var s = NativeScope.open()) {
      Tensor logits = of(F64, 0, Math.log(3), 0, 0).reshape(1, 2, 2); // (1, 2, 2): p = (1/4, 3/4), (1/2, 1/2)
      Tensor labels = of(F64, 1, 0).reshape(1, 2).to(ScalarType.Long); // (1, 2)
      Tensor lp = LogProbs.gather(logits, labels); // (1, 2)
      assertThat(Fixture.values(lp)).containsExactly(new double[] {Math.log(0.75), Math.log(0.5)}, offset(1e-12));
      Tensor mask = of(F64, 1, 0).reshape(1, 2); // (1, 2)
      assertThat(Fixture.values(LogProbs.sequence(lp, mask))).containsExactly(new double[] {Math.log(0.75)},
          offset(1e-12));
      Tensor both = of(F64, 1, 1).reshape(1, 2); // (1, 2)
      assertThat(Fixture.values(LogProbs.sequenceMean(lp, both)))
          .containsExactly(new double[] {(Math.log(0.75) + Math.log(0.5)) / 2}, offset(1e-12));
    }
  }

  @Test
  void shiftedScoresTheNextToken() {
    try (var s = NativeScope.open()) {
      Tensor logits = of(F64, 0, 5, 5, 0, 1, 1).reshape(1, 3, 2); // (1, 3, 2)
      Tensor ids = of(F64, 0, 1, 0).reshape(1, 3).to(ScalarType.Long); // (1, 3)
      double[] lp = Fixture.values(LogProbs.shifted(logits, ids)); // (1, 2)
      assertThat(lp).hasSize(2);
      assertThat(lp[0]).isCloseTo(-Math.log1p(Math.exp(-5)), offset(1e-12)); // position 0 predicts id 1
      assertThat(lp[1]).isCloseTo(-Math.log1p(Math.exp(-5)), offset(1e-12)); // position 1 predicts id 0
    }
  }

  @Test
  void entropyOfUniformIsLogVocabAndOfOneHotNearZero() {
    try (var s = NativeScope.open()) {
      double[] h = Fixture.values(LogProbs.entropy(torch.zeros(2, 3, 7))); // (2, 3)
      for (double v : h) assertThat(v).isCloseTo(Math.log(7), offset(1e-6));
      Tensor peaked = of(F64, 100, 0, 0).reshape(1, 1, 3); // (1, 1, 3)
      assertThat(Fixture.values(LogProbs.entropy(peaked))[0]).isCloseTo(0, offset(1e-12));
    }
  }

  @Test
  void bf16LogitsComputeInF32() {
    try (var s = NativeScope.open()) {
      Tensor logits = torch.zeros(1, 2, 4).to(ScalarType.BFloat16); // (1, 2, 4)
      Tensor lp = LogProbs.gather(logits, of(F64, 1, 2).reshape(1, 2).to(ScalarType.Long)); // (1, 2)
      assertThat(Ops.is(lp, ScalarType.Float)).isTrue();
      assertThat(Fixture.values(lp)[0]).isCloseTo(-Math.log(4), offset(1e-6));
    }
  }

  @Test
  void rejectsMismatchedShapesAndIntegerLogits() {
    try (var s = NativeScope.open()) {
      Tensor labels = of(F64, 1, 2, 3).reshape(1, 3).to(ScalarType.Long); // (1, 3)
      assertThatThrownBy(() -> LogProbs.gather(torch.zeros(1, 2, 4), labels)).hasMessageContaining("do not match");
      assertThatThrownBy(() -> LogProbs.gather(torch.zeros(2, 4), labels)).hasMessageContaining("(B, T, V)");
      assertThatThrownBy(() -> LogProbs.gather(torch.zeros(1, 3, 4).to(ScalarType.Long), labels))
          .hasMessageContaining("floating-point");
    }
  }

  @Test
  void maskedMeanAndVarianceCountOnlyMaskedPositions() {
    try (var s = NativeScope.open()) {
      Tensor x = of(F64, 1, 3, 100); // (3)
      Tensor m = of(F64, 1, 1, 0); // (3)
      assertThat(Masked.mean(x, m).item_double()).isEqualTo(2.0);
      assertThat(Masked.sum(x, m).item_double()).isEqualTo(4.0);
      assertThat(Masked.var(x, m, false).item_double()).isEqualTo(1.0);
      assertThat(Masked.var(x, m, true).item_double()).isEqualTo(2.0);
      assertThat(Fixture.values(Masked.whiten(x, m, false, 0, true))).containsExactly(new double[] {-1, 1, 0},
          offset(1e-12));
      assertThat(Fixture.values(Masked.whiten(x, m, false, 0, false))).containsExactly(new double[] {1, 3, 0},
          offset(1e-12));
    }
  }
}

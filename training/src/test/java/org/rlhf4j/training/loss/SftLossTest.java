package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.Fixture.Precision;

class SftLossTest {

  @ParameterizedTest
  @EnumSource(Precision.class)
  void matchesFixture(Precision p) {
    JsonNode sft = Fixture.section("sft");
    JsonNode in = sft.get("inputs"), exp = sft.get("expected");
    try (var s = NativeScope.open()) {
      Tensor logits = tensor(in.get("logits"), p.type); // (2, 7, 11)
      Tensor ids = Fixture.longs(in.get("input_ids")); // (2, 7)
      Tensor mask = tensor(in.get("loss_mask"), p.type); // (2, 7)
      var r = SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, mask);
      assertClose("loss", r.loss(), exp.get("loss"), p.tol);
      assertClose("per-token nll", r.tokenNll(), exp.get("per_token_nll_masked"), p.tol);
      assertThat(r.metrics().numTargetTokens()).isEqualTo(exp.get("num_target_tokens").asLong());
      assertClose("metrics.loss", r.metrics().loss(), exp.get("loss").asDouble(), p.tol);

      var byLabels = SftLoss.fromLabels(SftLoss.Config.DEFAULT, logits, Fixture.longs(in.get("labels")));
      assertClose("loss from labels", byLabels.loss(), exp.get("loss"), p.tol);

      var perSeq = SftLoss.compute(new SftLoss.Config(SftLoss.Reduction.SEQUENCE_MEAN), logits, ids, mask);
      assertClose("mean of sequence means", perSeq.loss(), exp.get("loss_mean_of_sequence_means"), p.tol);
    }
  }

  @Test
  void uniformLogitsGiveLogVocabAndGradientFlows() {
    try (var s = NativeScope.open()) {
      Tensor logits = torch.zeros(2, 4, 5).requires_grad_(true); // (2, 4, 5)
      Tensor ids = Fixture.of(ScalarType.Double, 0, 1, 2, 3, 4, 3, 2, 1).reshape(2, 4).to(ScalarType.Long); // (2, 4)
      Tensor mask = Fixture.of(ScalarType.Float, 0, 1, 1, 0, 0, 0, 1, 1).reshape(2, 4); // (2, 4)
      var r = SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, mask);
      assertThat(r.metrics().loss()).isCloseTo(Math.log(5), org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.metrics().numTargetTokens()).isEqualTo(4); // shifted mask rows (1,1,0) and (0,1,1)
      r.loss().backward();
      // d loss / d logit of a counted position: (softmax - onehot) / 4; uncounted positions get 0.
      double[] g = Fixture.values(logits.grad());
      assertThat(g[0 * 5 + 1]).isCloseTo((0.2 - 1) / 4, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(g[0 * 5 + 0]).isCloseTo(0.2 / 4, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(g[2 * 5 + 0]).isZero(); // position 2 of row 0 predicts a masked token
      assertThat(g[3 * 5 + 0]).isZero(); // last position predicts nothing
    }
  }

  @Test
  void tokenAccuracyCountsArgmaxHits() {
    try (var s = NativeScope.open()) {
      // vocab 3; position 0 prefers token 2, position 1 prefers token 0.
      Tensor logits = Fixture.of(ScalarType.Float, 0, 0, 5, 5, 0, 0, 0, 0, 0).reshape(1, 3, 3); // (1, 3, 3)
      Tensor ids = Fixture.of(ScalarType.Double, 1, 2, 1).reshape(1, 3).to(ScalarType.Long); // (1, 3)
      Tensor mask = Fixture.of(ScalarType.Float, 1, 1, 1).reshape(1, 3); // (1, 3)
      var r = SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, mask);
      assertThat(r.metrics().tokenAccuracy()).isEqualTo(0.5); // hit at t=0 (2), miss at t=1 (0 vs 1)
    }
  }

  @Test
  void bf16LogitsAreUpcast() {
    JsonNode sft = Fixture.section("sft");
    JsonNode in = sft.get("inputs");
    try (var s = NativeScope.open()) {
      Tensor logits = tensor(in.get("logits"), ScalarType.BFloat16); // (2, 7, 11) bf16
      var r = SftLoss.compute(SftLoss.Config.DEFAULT, logits, Fixture.longs(in.get("input_ids")),
          tensor(in.get("loss_mask"), ScalarType.Float));
      assertThat(Ops.is(r.loss(), ScalarType.Float)).isTrue();
      // bf16 rounding of the logits moves the loss by at most ~1e-2.
      assertThat(r.metrics().loss()).isCloseTo(sft.get("expected").get("loss").asDouble(),
          org.assertj.core.data.Offset.offset(2e-2));
    }
  }

  @Test
  void rejectsEmptyMaskAndMismatchedShapes() {
    try (var s = NativeScope.open()) {
      Tensor logits = torch.zeros(1, 3, 4); // (1, 3, 4)
      Tensor ids = torch.zeros(new long[] {1, 3}, new org.bytedeco.pytorch.TensorOptions(ScalarType.Long)); // (1, 3)
      assertThatThrownBy(() -> SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, torch.zeros(1, 3)))
          .hasMessageContaining("no target tokens");
      assertThatThrownBy(() -> SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, torch.zeros(1, 2)))
          .hasMessageContaining("lossMask");
      assertThatThrownBy(() -> new SftLoss.Config(null)).hasMessageContaining("reduction");
    }
  }
}

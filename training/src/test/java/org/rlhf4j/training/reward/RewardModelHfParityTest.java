package org.rlhf4j.training.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/**
 * A reward model scores what transformers' {@code AutoModelForSequenceClassification} scores for the same ids:
 * {@code ../shared/fixtures/rm-llama-tiny} was saved and scored by transformers (right-padded, left-padded,
 * EOS-terminated and full rows; pooled at the rightmost token that is not {@code pad_token_id}).
 */
class RewardModelHfParityTest {
  @TempDir Path tmp;

  @Test void scoresAndPoolingIndexEqualTransformersAndSurviveSaveLoad() throws Exception {
    Path dir = Shared.require("fixtures/rm-llama-tiny");
    JsonNode e = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    RewardModel rm = RewardModel.load(dir);
    assertThat(rm.padId()).isEqualTo(e.get("pad_token_id").asInt());
    long[][] ids = longs(e.get("input_ids")), mask = longs(e.get("attention_mask"));
    float[] scores = score(rm, ids, mask);
    try (NativeScope scope = NativeScope.open()) {
      long[] pooled = Tensors.toLongs(RewardModel.poolIndex(Tensors.longs(ids, rm.device()), rm.padId()).squeeze(1));
      for (int i = 0; i < pooled.length; i++) assertThat(pooled[i]).as("row " + i).isEqualTo(e.at("/pooled_index/" + i).asLong());
    }
    double tol = e.get("tolerance").asDouble();
    for (int i = 0; i < scores.length; i++) assertThat((double) scores[i]).as("row " + i).isCloseTo(e.at("/scores/" + i).asDouble(), within(tol));

    rm.save(tmp);
    JsonNode saved = new ObjectMapper().readTree(tmp.resolve("config.json").toFile());
    assertThat(saved.get("pad_token_id").asInt()).isEqualTo(rm.padId());
    assertThat(saved.at("/architectures/0").asText()).isEqualTo("LlamaForSequenceClassification");
    assertThat(score(RewardModel.load(tmp), ids, mask)).containsExactly(scores);
  }

  @Test void wherePadIsEosTheScoreIsReadBeforeTheEosRunAsTransformersDoes() {
    try (NativeScope scope = NativeScope.open()) {
      // pad = eos = 2: transformers pools at the rightmost token that is not 2
      long[][] ids = {{1, 5, 6, 2, 2, 2}, {1, 5, 6, 7, 8, 9}, {2, 2, 2, 2, 2, 2}};
      long[] pooled = Tensors.toLongs(RewardModel.poolIndex(Tensors.longs(ids, org.rlhf4j.runtime.Device.CPU), 2).squeeze(1));
      assertThat(pooled).containsExactly(2, 5, 0);
    }
  }

  /** The model's scores of a batch of token ids and attention masks (no gradient). Shared with RewardAdapterTest. */
  static float[] score(RewardModel rm, long[][] ids, long[][] mask) {
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      Tensor r = rm.rewards(Tensors.longs(ids, rm.device()), Tensors.longs(mask, rm.device()));
      return Tensors.toFloats(r);
    }
  }

  /** A JSON array of token-id rows as long[][]. */
  static long[][] longs(JsonNode rows) {
    long[][] out = new long[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new long[rows.get(i).size()];
      for (int j = 0; j < out[i].length; j++) out[i][j] = rows.get(i).get(j).asLong();
    }
    return out;
  }
}

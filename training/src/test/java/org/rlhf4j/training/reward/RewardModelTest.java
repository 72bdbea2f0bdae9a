package org.rlhf4j.training.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamilies;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.training.batch.Tiny;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;

class RewardModelTest {
  @TempDir Path tmp;
  static final String[] THINGS = {"cat", "dog", "bird", "fish", "frog", "bear", "tree", "ball"};

  static List<PreferencePair> pairs(double p) {
    List<PreferencePair> out = new ArrayList<>();
    for (String t : THINGS) {
      out.add(new PreferencePair(Content.text("Tell me about the " + t + "."), Content.text(" The " + t + " is kind and happy."),
          Content.text(" The " + t + " is bad."), p));
    }
    return out;
  }

  static TrainConfig cfg(Path dir, int steps) {
    return TrainConfig.defaults(dir).toBuilder().lr(1e-2).maxSteps(steps).logEvery(5).saveEvery(0).build();
  }

  @Test void bradleyTerryLossFallsAccuracyRisesAndEveryParameterChanges() {
    RewardModel rm = RewardModel.init(Tiny.model(4), Tiny.tokenizerDir(), 5);
    Map<String, Tensor> before = Tiny.snapshot(rm);
    TrainResult r = RewardTrainer.train(rm, pairs(1.0), cfg(tmp, 12), RewardOptions.defaults().withBatchSize(4), null);
    assertThat(r.losses().get(1)).isFinite();
    assertThat(r.finalLoss()).isFinite().isLessThan(r.losses().get(1)).isLessThan(0.3);
    assertThat(Tiny.unchanged(rm, before)).isEmpty();
    assertThat(rm.parameters()).containsKey("score.weight").doesNotContainKey("lm_head.weight");
    RewardModel.Accuracy acc = rm.pairwiseAccuracy(pairs(1.0));
    assertThat(acc.n()).isEqualTo(THINGS.length);
    assertThat(acc.accuracy()).isEqualTo(1.0);
  }

  @Test void softLabelsBelowOneHalfTeachTheOtherOrder() {
    RewardModel rm = RewardModel.init(Tiny.model(6), Tiny.tokenizerDir(), 7);
    RewardTrainer.train(rm, pairs(0.0), cfg(tmp, 12), RewardOptions.defaults().withBatchSize(4), null);
    double[] s = rm.score(List.of(new PromptCompletion(Content.text("Tell me about the cat."), Content.text(" The cat is kind and happy.")),
        new PromptCompletion(Content.text("Tell me about the cat."), Content.text(" The cat is bad."))));
    assertThat(s[1]).isGreaterThan(s[0]);
    assertThat(rm.pairwiseAccuracy(pairs(0.0)).accuracy()).isEqualTo(1.0); // the preferred side is "rejected"
    assertThat(rm.pairwiseAccuracy(pairs(0.5)).n()).isZero();
  }

  @Test void rankingsExpandToAllPairsInOneBatch() {
    List<Ranking> rankings = new ArrayList<>();
    for (String t : THINGS) {
      rankings.add(new Ranking(Content.text("The " + t), List.of(Content.text(" is great."), Content.text(" is ok."), Content.text(" is bad."))));
    }
    Group g = Group.of(rankings.get(0), RewardModel.init(Tiny.model(8), Tiny.tokenizerDir(), 1),
        RewardOptions.defaults().lengthPolicy());
    assertThat(g.responses()).hasSize(3);
    assertThat(g.chosen()).containsExactly(0, 0, 1);
    assertThat(g.rejected()).containsExactly(1, 2, 2);
    RewardModel rm = RewardModel.init(Tiny.model(8), Tiny.tokenizerDir(), 9);
    TrainResult r = RewardTrainer.trainRankings(rm, rankings, cfg(tmp, 10), RewardOptions.defaults().withBatchSize(2), null);
    assertThat(r.finalLoss()).isFinite().isLessThan(r.losses().get(1));
    assertThat(rm.pairwiseAccuracy(rankings.get(0).toPairs()).accuracy()).isEqualTo(1.0);
  }

  @Test void savesAsHuggingFaceSequenceClassifierAndLoadsBackTheSameScores() throws Exception {
    ModelConfig untied = ModelConfig.builder(ModelFamilies.LLAMA).vocabSize(512).hiddenSize(32).intermediateSize(64)
        .numLayers(2).numHeads(4).numKvHeads(2).maxPositions(128).build();
    RewardModel rm = RewardModel.init(CausalLM.random(untied, 3, Device.CPU), Tiny.tokenizerDir(), 11);
    Path dir = tmp.resolve("rm");
    rm.save(dir);
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(cfg.get("architectures").get(0).asText()).isEqualTo("LlamaForSequenceClassification");
    assertThat(cfg.get("num_labels").asInt()).isEqualTo(1);
    assertThat(cfg.get("tie_word_embeddings").asBoolean()).isFalse();
    assertThat(cfg.get("pad_token_id").asInt()).isEqualTo(rm.tokenizer().padId());
    assertThat(Safetensors.header(dir.resolve("model.safetensors")).entries().keySet())
        .contains("score.weight", "model.embed_tokens.weight").doesNotContain("lm_head.weight");
    assertThat(dir.resolve("tokenizer.json")).exists();

    RewardModel back = RewardModel.load(dir);
    List<PromptCompletion> items = List.of(new PromptCompletion(Content.text("Hi"), Content.text(" there")),
        new PromptCompletion(Content.text("A longer prompt here"), Content.text(" and a reply.")));
    double[] a = rm.score(items), b = back.score(items);
    assertThat(b[0]).isCloseTo(a[0], within(1e-6));
    assertThat(b[1]).isCloseTo(a[1], within(1e-6));
    assertThat(a[0]).isNotEqualTo(a[1]);
    assertThatThrownBy(() -> RewardModel.load(llamaTiny()))
        .hasMessageContaining("no 'score.weight'");
  }

  private static Path llamaTiny() { return org.rlhf4j.testkit.Shared.require("fixtures/llama-tiny"); }
}

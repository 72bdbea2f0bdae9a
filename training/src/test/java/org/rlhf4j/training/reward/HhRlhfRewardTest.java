package org.rlhf4j.training.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Datasets;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.loop.TrainConfig;

/**
 * A reward model trained from scratch on Anthropic HH-RLHF harmless pairs beats chance on pairs
 * it never saw. Backbone: a tiny random Llama over the GPT-2 tokenizer; the HH transcripts are
 * parsed to chats and rendered with the ChatML fallback template; prompts are cut from the left
 * to 96 tokens. 80/20 split of the 1,912 pairs (seed 2024): 1,530 train, 382 held out. Measured:
 * 0.568 held-out accuracy after 120 steps of 16 pairs (~45 s on 2 shared cores). Settings can be
 * changed with -Dhh.steps, -Dhh.maxlen, -Dhh.lr, -Dhh.hidden, -Dhh.layers, -Dhh.batch.
 */
class HhRlhfRewardTest {
  @TempDir Path tmp;

  static int prop(String name, int dflt) { return Integer.getInteger("hh." + name, dflt); }

  @Test void heldOutPairwiseAccuracyIsClearlyAboveChance() {
    Path tokDir = Shared.require("data/gpt2-tokenizer");
    List<PreferencePair> all = DataFiles.readPreferences(Shared.require("data/hh-rlhf-harmless/pairs.jsonl.gz"));
    Datasets.Split<PreferencePair> split = Datasets.split(all, 0.2, 2024);
    int hidden = prop("hidden", 64), layers = prop("layers", 2), maxLen = prop("maxlen", 96), steps = prop("steps", 120);
    ModelConfig mc = ModelConfig.llama(50257, hidden, 2 * hidden, layers, 4, 4, maxLen).withVocab(50257, 50256, 50256);
    RewardModel rm = RewardModel.init(CausalLM.random(mc, 1, Device.CPU), tokDir, 2);
    TrainConfig cfg = TrainConfig.defaults(tmp).toBuilder().lr(Double.parseDouble(System.getProperty("hh.lr", "2e-3")))
        .warmupSteps(10).maxSteps(steps).weightDecay(0.0).logEvery(20).saveEvery(0).build();
    long t0 = System.nanoTime();
    RewardTrainer.train(rm, split.train(), cfg, RewardOptions.defaults().withMaxLength(maxLen).withBatchSize(prop("batch", 16)), null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    RewardModel.Accuracy test = rm.pairwiseAccuracy(split.test());
    RewardModel.Accuracy train = rm.pairwiseAccuracy(split.train().subList(0, 300));
    System.out.printf("hh-rlhf harmless RM: held-out accuracy %.4f on %d pairs (train subset %.4f), %d train pairs,"
        + " %d steps in %.0f s; Llama hidden %d x %d layers, GPT-2 tokenizer, ChatML template, max %d tokens%n",
        test.accuracy(), test.n(), train.accuracy(), split.train().size(), steps, seconds, hidden, layers, maxLen);
    assertThat(test.n()).isGreaterThanOrEqualTo(300);
    assertThat(test.accuracy()).isGreaterThanOrEqualTo(0.53);
  }
}

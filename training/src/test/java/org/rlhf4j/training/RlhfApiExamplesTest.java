package org.rlhf4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.sft.SftOptions;

/** The three examples of docs/java-api.md, as written there (on llama2.c's stories260K, a few steps each). */
class RlhfApiExamplesTest {
  @TempDir static Path tmp;
  static Path base, sftData, prefs;

  @BeforeAll static void data() throws Exception {
    base = Shared.require("fixtures/stories260K");
    sftData = tmp.resolve("sft.jsonl");
    Files.write(sftData, List.of("{\"prompt\": \"Once upon a time\", \"completion\": \" there was a girl.\"}",
        "{\"prompt\": \"The cat\", \"completion\": \" sat on the mat.\"}"));
    prefs = tmp.resolve("prefs.jsonl");
    Files.write(prefs, List.of("{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}"));
  }

  @Test void example1TrainSft() {
    // --- docs/java-api.md, example 1 ---
    TrainConfig cfg = TrainConfig.defaults(tmp.resolve("sft")).toBuilder().maxSteps(2).lr(1e-4).build();
    TrainResult r = Rlhf.sft(base, sftData, cfg, SftOptions.defaults().withBatchSize(2));
    System.out.println("final loss " + r.finalLoss());
    // ---
    assertThat(r.finalLoss()).isFinite();
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "generation_config.json", "README.md")) {
      assertThat(tmp.resolve("sft").resolve(f)).isRegularFile();
    }
  }

  @Test void example2ScoreWithARewardModel() {
    Path rmDir = tmp.resolve("rm");
    // --- docs/java-api.md, example 2 ---
    Rlhf.reward(base, prefs, TrainConfig.defaults(rmDir).toBuilder().maxSteps(2).build(), RewardOptions.defaults());
    double[] scores = Rlhf.score(rmDir, List.of(
        new PromptCompletion(Content.text("The cat"), Content.text(" sat on the mat.")),
        new PromptCompletion(Content.text("The cat"), Content.text(" no"))));
    System.out.printf("%.3f vs %.3f%n", scores[0], scores[1]);
    // ---
    assertThat(scores).hasSize(2);
    assertThat(Double.isFinite(scores[0]) && Double.isFinite(scores[1])).isTrue();
  }

  @Test void example3RunDpoFromCode() {
    // --- docs/java-api.md, example 3 ---
    DpoConfig cfg = DpoConfig.defaults(tmp.resolve("dpo")).withVariant(new DpoLoss.Sigmoid(0.1)).withBatchSize(2)
        .withTrain(TrainConfig.defaults(tmp.resolve("dpo")).toBuilder().maxSteps(2).lr(1e-4).build());
    DpoTrainer.DpoResult r = Rlhf.dpo(base, prefs, cfg);
    System.out.println("rewards/margins " + r.lastMetrics().get("rewards/margins"));
    // ---
    assertThat(r.lastMetrics()).containsKey("rewards/margins");
    assertThat(tmp.resolve("dpo/model.safetensors")).isRegularFile();
    assertThat(tmp.resolve("dpo/tokenizer.json")).isRegularFile();
  }
}

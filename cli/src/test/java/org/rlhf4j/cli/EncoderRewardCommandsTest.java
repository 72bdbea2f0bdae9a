package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/** reward --backbone minilm on labelled texts; the BERT reward model then scores in score, eval-reward, best-of-n and ppo. */
class EncoderRewardCommandsTest {
  @TempDir Path tmp;

  @Test void miniLmRewardModelTrainsOnLabelledTextsAndEveryScorerCommandAcceptsIt() throws Exception {
    StringBuilder tsv = new StringBuilder("sentence\tlabel\n");
    for (String t : new String[] {"film", "story", "song", "meal"}) tsv.append("a wonderful ").append(t).append("\t1\nan awful ").append(t).append("\t0\n");
    Files.writeString(tmp.resolve("train.tsv"), tsv);
    Path rm = tmp.resolve("rm");
    CliRun r = CliRun.of("reward", "--backbone", "minilm", "--pooling", "mean", "--train-layers", "0", "--data", tmp.resolve("train.tsv").toString(),
        "--eval-data", tmp.resolve("train.tsv").toString(), "--output", rm.toString(), "--max-steps", "2", "--batch-size", "4",
        "--max-length", "16", "--lr", "1e-3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("held-out accuracy");
    JsonNode cfg = new ObjectMapper().readTree(rm.resolve("config.json").toFile());
    assertThat(cfg.path("architectures").get(0).asText()).isEqualTo("BertForSequenceClassification");
    assertThat(cfg.path("rlhf4j_pooling").asText()).isEqualTo("mean");

    CliRun score = CliRun.of("score", "--model", rm.toString(), "--prompt", "", "--response", "a wonderful film", "--response", "an awful film", "--json");
    assertThat(score.code()).as(score.err()).isZero();
    assertThat(new ObjectMapper().readTree(score.out()).get("rewards").size()).isEqualTo(2);
    Files.writeString(tmp.resolve("prefs.jsonl"), "{\"prompt\": \"The film was\", \"chosen\": \" wonderful\", \"rejected\": \" awful\"}\n");
    CliRun eval = CliRun.of("eval-reward", "--model", rm.toString(), "--data", tmp.resolve("prefs.jsonl").toString(), "--json");
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode e = new ObjectMapper().readTree(eval.out());
    assertThat(e.get("n").asInt()).isEqualTo(1);
    assertThat(e.get("shorter_wins_baseline").asDouble()).isEqualTo(0.0);          // " wonderful" is the longer side
    CliRun cls = CliRun.of("eval-reward", "--model", rm.toString(), "--data", tmp.resolve("train.tsv").toString(), "--json");
    assertThat(cls.code()).as(cls.err()).isZero();
    assertThat(new ObjectMapper().readTree(cls.out()).get("n").asInt()).isEqualTo(8);

    Path stories = Shared.require("fixtures/stories260K");
    Files.writeString(tmp.resolve("prompts.jsonl"), "{\"prompt\": \"Once upon a time\"}\n{\"prompt\": \"Tom had a dog.\"}\n");
    CliRun bon = CliRun.of("best-of-n", "--model", stories.toString(), "--reward-model", rm.toString(), "--data",
        tmp.resolve("prompts.jsonl").toString(), "--output", tmp.resolve("bon").toString(), "--n", "2", "--max-new-tokens", "8");
    assertThat(bon.code()).as(bon.err()).isZero();
    assertThat(bon.out()).contains("best-of-2 over 2 prompts");
    CliRun ppo = CliRun.of("ppo", "--model", stories.toString(), "--reward-model", rm.toString(), "--data",
        tmp.resolve("prompts.jsonl").toString(), "--output", tmp.resolve("ppo").toString(), "--max-steps", "1", "--batch-size", "2",
        "--max-new-tokens", "8");
    assertThat(ppo.code()).as(ppo.err()).isZero();
    assertThat(ppo.out()).contains("ppo: 1 iterations");
  }

  @Test void pairwiseRunPrintsTheShorterAnswerBaselineBesideHeldOutAccuracy() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 10; i++) {                                  // the chosen side is always the shorter one
      jsonl.append("{\"prompt\": \"Q").append(i).append("\", \"chosen\": \" no\", \"rejected\": \" sure, here is how").append(i).append("\"}\n");
    }
    Files.writeString(tmp.resolve("pairs.jsonl"), jsonl);
    CliRun r = CliRun.of("reward", "--backbone", "minilm", "--pooling", "response", "--train-layers", "0", "--data",
        tmp.resolve("pairs.jsonl").toString(), "--eval-fraction", "0.5", "--output", tmp.resolve("rm").toString(), "--max-steps", "1",
        "--batch-size", "2", "--max-length", "16");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("held-out pairwise accuracy [01]\\.\\d{4} on 5 pairs \\(\"shorter answer wins\" baseline 1\\.0000\\)");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("rm/config.json").toFile())
        .path("rlhf4j_pooling").asText()).isEqualTo("response");
  }

  @Test void badBackbonesAreOneLineUsageErrors() {
    CliRun r = CliRun.of("reward", "--backbone", tmp.resolve("nope").toString(), "--data", "x.tsv", "--output", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("--backbone", "neither minilm nor a folder");
    CliRun both = CliRun.of("reward", "--backbone", "minilm", "--model", tmp.toString(), "--data", "x.tsv", "--output", tmp.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    CliRun lora = CliRun.of("reward", "--backbone", "minilm", "--lora-r", "8", "--data", "x.tsv", "--output", tmp.toString());
    assertThat(lora.code()).isEqualTo(2);
    assertThat(lora.err().strip()).doesNotContain("\n").contains("--lora-r", "causal reward models", "--train-layers");
    CliRun pool = CliRun.of("reward", "--backbone", "minilm", "--pooling", "max", "--data", "x.tsv", "--output", tmp.toString());
    assertThat(pool.code()).isEqualTo(2);
    assertThat(pool.err().strip()).doesNotContain("\n").contains("--pooling", "cls, mean or response");
    CliRun poolCausal = CliRun.of("reward", "--model", tmp.toString(), "--pooling", "mean", "--data", "x.tsv", "--output", tmp.toString());
    assertThat(poolCausal.code()).isEqualTo(2);
    assertThat(poolCausal.err()).contains("--pooling", "--backbone");
  }
}

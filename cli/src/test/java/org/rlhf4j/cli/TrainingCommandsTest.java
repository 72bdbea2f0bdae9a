package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/** pretrain -> sft -> reward -> score / eval-reward from the command line, and their one-line errors. */
class TrainingCommandsTest {

  @TempDir Path tmp;

  private static CliRun run(String... args) { return CliRun.of(args); }

  @Test void pipelineFromConfigFilesAndFlags() throws Exception {
    Path tok = Shared.require("fixtures/stories260K");
    Files.writeString(tmp.resolve("pre.yaml"), "tokenizer: " + tok + "\nmodel_config: {hidden: 32, intermediate: 64, layers: 1,"
        + " heads: 4, kv_heads: 2, max_positions: 64}\nseq_length: 32\nbatch_size: 2\nmax_steps: 3\nlr: 1e-2\n");
    Files.writeString(tmp.resolve("corpus.txt"), "Tom had a red ball. He liked to play.\n\nLily saw a big dog. The dog was happy.\n");
    Files.writeString(tmp.resolve("sft.jsonl"), "{\"prompt\": \"What does the cat like?\", \"completion\": \" Milk.\"}\n"
        + "{\"prompt\": \"Hi\", \"completion\": \" Hello.\"}\n");
    Files.writeString(tmp.resolve("prefs.jsonl"), "{\"prompt\": \"The cat\", \"chosen\": \" is kind.\", \"rejected\": \" is bad.\"}\n"
        + "{\"prompt\": \"The dog\", \"chosen\": \" is kind.\", \"rejected\": \" is bad.\", \"chosen_probability\": 0.8}\n");
    Path base = tmp.resolve("base"), sft = tmp.resolve("sft"), rm = tmp.resolve("rm");

    CliRun pre = run("pretrain", "--config", tmp.resolve("pre.yaml").toString(), "--data", tmp.resolve("corpus.txt").toString(),
        "--output", base.toString(), "--max-steps", "2");
    assertThat(pre.code()).as(pre.err()).isZero();
    assertThat(Files.readString(base.resolve(Settings.FILE))).contains("max_steps: 2", "seq_length: 32");
    assertThat(base.resolve("checkpoint-2")).isDirectory();

    CliRun s = run("sft", "--model", base.toString(), "--data", tmp.resolve("sft.jsonl").toString(), "--output", sft.toString(),
        "--max-steps", "2", "--batch-size", "2", "--packing");
    assertThat(s.code()).as(s.err()).isZero();
    CliRun r = run("reward", "--model", sft.toString(), "--data", tmp.resolve("prefs.jsonl").toString(), "--output", rm.toString(),
        "--max-steps", "2", "--lr", "1e-2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(rm.resolve("config.json").toFile()).get("num_labels").asInt()).isEqualTo(1);

    CliRun score = run("score", "--model", rm.toString(), "--prompt", "The cat", "--response", " is kind.", "--response", " is bad.", "--json");
    assertThat(score.code()).as(score.err()).isZero();
    assertThat(new ObjectMapper().readTree(score.out()).get("rewards").size()).isEqualTo(2);
    CliRun eval = run("eval-reward", "--model", rm.toString(), "--data", tmp.resolve("prefs.jsonl").toString(), "--json");
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(eval.out());
    assertThat(o.get("n").asInt()).isEqualTo(2);
    assertThat(o.get("accuracy").asDouble()).isBetween(0.0, 1.0);

    Files.writeString(tmp.resolve("bad.jsonl"), "{\"prompt\": \"x\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\": \"x\", \"chosen\": 5\n");
    CliRun bad = run("eval-reward", "--model", rm.toString(), "--data", tmp.resolve("bad.jsonl").toString());
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err().strip()).doesNotContain("\n").contains("bad.jsonl:2");
    CliRun notRm = run("score", "--model", sft.toString(), "--prompt", "a", "--response", "b");
    assertThat(notRm.code()).isEqualTo(2);
    assertThat(notRm.err()).contains("is not a reward model");
  }

  @Test void unknownOrMalformedSettingsAreOneLineErrors() throws Exception {
    Files.writeString(tmp.resolve("typo.yaml"), "lrr: 1\n");
    CliRun typo = run("sft", "--config", tmp.resolve("typo.yaml").toString(), "--data", "d.jsonl", "--output", tmp.toString());
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err().strip()).doesNotContain("\n").contains("unknown setting 'lrr'");
    Files.writeString(tmp.resolve("broken.yaml"), "lr: 1\nfoo: [1\n");
    CliRun broken = run("reward", "--config", tmp.resolve("broken.yaml").toString());
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.err().strip()).doesNotContain("\n").contains("broken.yaml:", "malformed YAML/JSON");
    CliRun noData = run("pretrain", "--output", tmp.toString());
    assertThat(noData.err()).contains("no data");
  }

  /** reward --split-seed and eval-reward --eval-fraction/--split-seed agree on the held-out pairs; several models ensemble. */
  @Test void evalRewardScoresTheHeldOutSplitAndEnsemblesModels() throws Exception {
    Path tok = Shared.require("fixtures/stories260K");
    Files.writeString(tmp.resolve("pre.yaml"), "tokenizer: " + tok + "\nmodel_config: {hidden: 32, intermediate: 64, layers: 1,"
        + " heads: 4, kv_heads: 2, max_positions: 64}\nseq_length: 32\nbatch_size: 2\nmax_steps: 2\nlr: 1e-2\n");
    Files.writeString(tmp.resolve("corpus.txt"), "Tom had a red ball. He liked to play.\n\nLily saw a big dog. The dog was happy.\n");
    StringBuilder prefs = new StringBuilder();
    String[] animals = {"cat", "dog", "bird", "fish", "frog", "duck", "cow", "pig", "hen", "fox"};
    for (String a : animals) prefs.append("{\"prompt\": \"The ").append(a).append("\", \"chosen\": \" is kind.\", \"rejected\": \" is bad and sad.\"}\n");
    Files.writeString(tmp.resolve("prefs.jsonl"), prefs);
    Path base = tmp.resolve("base");
    assertThat(run("pretrain", "--config", tmp.resolve("pre.yaml").toString(), "--data", tmp.resolve("corpus.txt").toString(),
        "--output", base.toString()).code()).isZero();
    Path[] rms = {tmp.resolve("rm1"), tmp.resolve("rm2")};
    for (int i = 0; i < 2; i++) {
      CliRun r = run("reward", "--model", base.toString(), "--data", tmp.resolve("prefs.jsonl").toString(), "--output", rms[i].toString(),
          "--max-steps", "2", "--lr", "1e-2", "--seed", "" + (i + 1), "--split-seed", "7", "--eval-fraction", "0.3");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("on 3 pairs");
    }
    var held = org.rlhf4j.data.Datasets.split(org.rlhf4j.data.format.DataFiles.readPreferences(tmp.resolve("prefs.jsonl")), 0.3, 7).test();
    double[] sum = new double[held.size()];
    for (Path rm : rms) {
      double[] d = org.rlhf4j.training.reward.RewardModel.load(rm).differences(held);
      double rms2 = Math.sqrt(java.util.Arrays.stream(d).map(x -> x * x).average().orElse(0));
      for (int k = 0; k < d.length; k++) sum[k] += d[k] / rms2;
    }
    double expected = org.rlhf4j.training.reward.RewardModel.accuracy(held, sum).accuracy();

    CliRun eval = run("eval-reward", "--model", rms[0].toString(), rms[1].toString(), "--data", tmp.resolve("prefs.jsonl").toString(),
        "--eval-fraction", "0.3", "--split-seed", "7", "--json");
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(eval.out());
    assertThat(o.get("n").asInt()).isEqualTo(3);
    assertThat(o.get("models").size()).isEqualTo(2);
    assertThat(o.get("accuracy").asDouble()).isEqualTo(expected);
    assertThat(o.get("models").get(0).get("accuracy").asDouble())
        .isEqualTo(org.rlhf4j.training.reward.RewardModel.load(rms[0]).pairwiseAccuracy(held).accuracy());

    CliRun noFraction = run("eval-reward", "--model", rms[0].toString(), "--data", tmp.resolve("prefs.jsonl").toString(), "--split-seed", "7");
    assertThat(noFraction.code()).isEqualTo(2);
    assertThat(noFraction.err()).contains("--split-seed needs --eval-fraction");
    CliRun twoWithAdapter = run("eval-reward", "--model", rms[0].toString(), rms[1].toString(), "--adapter", rms[0].toString(),
        "--data", tmp.resolve("prefs.jsonl").toString());
    assertThat(twoWithAdapter.err()).contains("--adapter: one --model only");
  }
}

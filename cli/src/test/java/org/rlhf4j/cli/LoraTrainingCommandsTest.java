package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/** --lora-r/--lora-alpha/--lora-targets on every training command: the adapter folder (PEFT layout + tokenizer) at the top. */
class LoraTrainingCommandsTest {
  @TempDir static Path tmp;
  static Path model, prompts, prefs, sft, rm;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    prompts = tmp.resolve("prompts.jsonl");
    Files.write(prompts, List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"The cat\"}"));
    prefs = tmp.resolve("prefs.jsonl");
    Files.write(prefs, List.of("{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}"));
    sft = tmp.resolve("sft.jsonl");
    Files.write(sft, List.of("{\"prompt\": \"Once upon a time\", \"completion\": \" there was a dog.\"}",
        "{\"prompt\": \"The cat\", \"completion\": \" sat on the mat.\"}"));
  }

  private static void assertAdapterFolder(Path out, int r, String... targets) throws Exception {
    assertThat(out.resolve(LoraModel.CONFIG_FILE)).isRegularFile();
    assertThat(out.resolve("tokenizer.json")).isRegularFile();
    assertThat(out.resolve(Safetensors.SINGLE)).doesNotExist();
    // issue 11, item 1: the adapter at the top gets the model card (an adapter's) and the run's report too
    assertThat(Files.readString(out.resolve("README.md"))).contains("LoRA adapter trained with rlhf4j", "--adapter THIS_FOLDER");
    assertThat(out.resolve("report.html")).isRegularFile();
    JsonNode cfg = new ObjectMapper().readTree(out.resolve(LoraModel.CONFIG_FILE).toFile());
    assertThat(cfg.get("r").asInt()).isEqualTo(r);
    assertThat(cfg.get("base_model_name_or_path").asText()).isEqualTo(model.toString());
    List<String> t = new java.util.ArrayList<>();
    cfg.get("target_modules").forEach(x -> t.add(x.asText()));
    assertThat(t).containsExactlyInAnyOrder(targets);
    assertThat(Safetensors.header(out.resolve(LoraModel.WEIGHTS_FILE)).entries().keySet())
        .allMatch(k -> k.startsWith("base_model.model.model.layers.") && k.contains(".lora_"));
  }

  @Test void sftAndDpoWriteAdapterFoldersThatGenerateLoads() throws Exception {
    Path s = tmp.resolve("sft");
    CliRun run = CliRun.of("sft", "--model", model.toString(), "--data", sft.toString(), "--output", s.toString(), "--max-steps", "2",
        "--batch-size", "2", "--lr", "1e-2", "--lora-r", "4", "--lora-alpha", "8", "--lora-targets", "q_proj,v_proj,o_proj");
    assertThat(run.code()).as(run.err()).isZero();
    assertAdapterFolder(s, 4, "q_proj", "v_proj", "o_proj");
    assertThat(s.resolve("checkpoint-2").resolve(LoraModel.WEIGHTS_FILE)).isRegularFile();
    CliRun gen = CliRun.of("generate", "--model", model.toString(), "--adapter", s.toString(), "--prompt", "The cat",
        "--max-new-tokens", "4", "--json");
    assertThat(gen.code()).as(gen.err()).isZero();

    Path d = tmp.resolve("dpo");
    Files.writeString(tmp.resolve("dpo.yaml"), "lora_r: 2\nlora_targets: [gate_proj, up_proj, down_proj]\nuse_rslora: true\n");
    run = CliRun.of("dpo", "--config", tmp.resolve("dpo.yaml").toString(), "--model", model.toString(), "--data", prefs.toString(),
        "--output", d.toString(), "--max-steps", "2", "--batch-size", "2", "--lr", "1e-2");
    assertThat(run.code()).as(run.err()).isZero();
    assertAdapterFolder(d, 2, "gate_proj", "up_proj", "down_proj");
    assertThat(new ObjectMapper().readTree(d.resolve(LoraModel.CONFIG_FILE).toFile()).get("use_rslora").asBoolean()).isTrue();
  }

  @Test void onPolicyCommandsWriteAdapterFolders() throws Exception {
    for (String cmd : List.of("ppo", "rloo", "grpo")) {
      Path out = tmp.resolve(cmd);
      List<String> args = new java.util.ArrayList<>(List.of(cmd, "--model", model.toString(), "--data", prompts.toString(),
          "--reward-model", rm.toString(), "--max-steps", "1", "--batch-size", "2", "--max-new-tokens", "4",
          "--output", out.toString(), "--lora-r", "2"));
      if (!cmd.equals("ppo")) args.addAll(List.of("--k", "2"));
      if (cmd.equals("grpo")) args.addAll(List.of("--beta", "0.1"));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.code()).as(cmd + ": " + run.err()).isZero();
      assertAdapterFolder(out, 2, "q_proj", "v_proj");
    }
  }

  @Test void rewardWithLoraWritesTheMergedClassifierAndItsSeqClsAdapterWhichScoresTheSame() throws Exception {
    Path out = tmp.resolve("reward");
    CliRun run = CliRun.of("reward", "--model", model.toString(), "--data", prefs.toString(), "--output", out.toString(),
        "--max-steps", "2", "--batch-size", "2", "--lr", "1e-2", "--lora-r", "4");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(out.resolve("config.json")).isRegularFile();
    Path adapter = out.resolve("adapter");
    assertThat(adapter.resolve("score.safetensors")).as("the head is in the adapter's safetensors, as PEFT saves it").doesNotExist();
    JsonNode cfg = new ObjectMapper().readTree(adapter.resolve(LoraModel.CONFIG_FILE).toFile());
    assertThat(cfg.get("task_type").asText()).isEqualTo("SEQ_CLS");
    assertThat(cfg.get("modules_to_save").toString()).isEqualTo("[\"classifier\",\"score\"]");
    assertThat(Safetensors.header(adapter.resolve(LoraModel.WEIGHTS_FILE)).entries().keySet()).contains("base_model.model.score.weight")
        .allMatch(k -> k.equals("base_model.model.score.weight") || k.startsWith("base_model.model.model.layers."));
    double merged = reward("--model", out.toString());
    assertThat(reward("--model", model.toString(), "--adapter", adapter.toString())).isCloseTo(merged, within(1e-5));
    assertThat(reward("--model", adapter.toString())).as("base from base_model_name_or_path").isCloseTo(merged, within(1e-5));
    assertThat(merged).as("training moved the score off the fresh head's").isNotCloseTo(reward("--model", rm.toString()), within(1e-4));

    CliRun eval = CliRun.of("eval-reward", "--model", model.toString(), "--adapter", adapter.toString(), "--data", prefs.toString(), "--json");
    assertThat(eval.code()).as(eval.err()).isZero();
    CliRun bon = CliRun.of("best-of-n", "--model", model.toString(), "--reward-model", model.toString(), "--reward-adapter",
        adapter.toString(), "--data", prompts.toString(), "--output", tmp.resolve("bon").toString(), "--n", "2", "--max-new-tokens", "3");
    assertThat(bon.code()).as(bon.err()).isZero();
    CliRun causal = CliRun.of("score", "--model", model.toString(), "--adapter", Shared.require("fixtures/lora-llama-tiny").toString(),
        "--prompt", "The cat", "--response", " sat.");
    assertThat(causal.code()).isEqualTo(2);
    assertThat(causal.err()).contains("--adapter", "task_type is not SEQ_CLS");
    CliRun noAdapter = CliRun.of("score", "--model", model.toString(), "--prompt", "The cat", "--response", " sat.");
    assertThat(noAdapter.code()).isEqualTo(2);
    assertThat(noAdapter.err()).contains("--adapter");
  }

  private static double reward(String... modelArgs) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("score"));
    args.addAll(List.of(modelArgs));
    args.addAll(List.of("--prompt", "The cat", "--response", " sat on the mat.", "--json"));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out()).get("rewards").get(0).asDouble();
  }

  @Test void loraSettingsWithoutRankAndBadTargetsAreUsageErrors() {
    CliRun noRank = CliRun.of("sft", "--model", model.toString(), "--data", sft.toString(), "--output", tmp.resolve("x").toString(),
        "--lora-alpha", "16");
    assertThat(noRank.code()).isEqualTo(2);
    assertThat(noRank.err()).contains("--lora-r");
    CliRun bad = CliRun.of("sft", "--model", model.toString(), "--data", sft.toString(), "--output", tmp.resolve("y").toString(),
        "--lora-r", "4", "--lora-targets", "c_attn");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("\n").contains("c_attn").contains("q_proj");
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/**
 * --gradient-checkpointing on every training command: each step's loss and gradient norm (metrics.jsonl, every
 * step logged) equal those of the same run without it, with full training and with LoRA adapters (dropout on).
 */
class GradientCheckpointingCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path model, rm, files;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    files = tmp;
    Files.write(tmp.resolve("prompts.jsonl"), List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"The cat\"}"));
    Files.write(tmp.resolve("prefs.jsonl"), List.of(
        "{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}"));
    Files.write(tmp.resolve("sft.jsonl"), List.of("{\"prompt\": \"Once upon a time\", \"completion\": \" there was a dog.\"}",
        "{\"prompt\": \"The cat\", \"completion\": \" sat on the mat.\"}"));
    Files.write(tmp.resolve("kto.jsonl"), List.of(
        "{\"prompt\": \"Once upon a time\", \"completion\": \" there was a dog.\", \"label\": true}",
        "{\"prompt\": \"The cat\", \"completion\": \" no\", \"label\": false}"));
    Files.writeString(tmp.resolve("corpus.txt"), "Tom had a red ball. He liked to play.\n\nLily saw a big dog. The dog was happy.\n");
  }

  private static List<String> args(String cmd, Path out, boolean lora) throws Exception {
    Path cfg = files.resolve(cmd + "-" + lora + ".yaml");
    boolean onPolicy = List.of("ppo", "rloo", "grpo").contains(cmd); // these log every iteration (no log_every)
    Files.writeString(cfg, (onPolicy ? "" : "log_every: 1\n") + (cmd.equals("pretrain") ? "seq_length: 16\n" : "")
        + (lora ? "lora_r: 4\nlora_targets: all-linear\nlora_dropout: 0.1\n" : ""));
    String data = switch (cmd) {
      case "pretrain" -> "corpus.txt";
      case "sft" -> "sft.jsonl";
      case "kto" -> "kto.jsonl";
      case "dpo", "reward" -> "prefs.jsonl";
      default -> "prompts.jsonl";
    };
    List<String> a = new ArrayList<>(List.of(cmd, "--config", cfg.toString(),
        "--model", model.toString(), "--data", files.resolve(data).toString(), "--output", out.toString(),
        "--max-steps", "3", "--batch-size", "2", "--lr", "1e-2"));
    switch (cmd) {
      case "ppo" -> a.addAll(List.of("--reward-model", rm.toString(), "--max-new-tokens", "4"));
      case "rloo" -> a.addAll(List.of("--reward-model", rm.toString(), "--max-new-tokens", "4", "--k", "2"));
      case "grpo" -> a.addAll(List.of("--reward-model", rm.toString(), "--max-new-tokens", "4", "--k", "2", "--beta", "0.1"));
      default -> { }
    }
    return a;
  }

  /** Every metrics.jsonl record's loss and grad_norm (on-policy commands log theirs under other names too). */
  private static List<double[]> metrics(Path out) throws Exception {
    List<double[]> m = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      if (r.has("loss") && r.has("grad_norm")) m.add(new double[] {r.get("loss").asDouble(), r.get("grad_norm").asDouble()});
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"pretrain", "sft", "reward", "dpo", "kto", "ppo", "rloo", "grpo"})
  void stepsEqualThoseWithoutCheckpointing(String cmd) throws Exception {
    for (boolean lora : new boolean[] {false, true}) {
      if (lora && cmd.equals("pretrain")) continue; // covered by sft; pretrain's LoRA is the same attach
      Path plain = tmp.resolve(cmd + "-" + lora + "-plain"), ckpt = tmp.resolve(cmd + "-" + lora + "-ckpt");
      CliRun a = CliRun.of(args(cmd, plain, lora).toArray(String[]::new));
      assertThat(a.code()).as(cmd + ": " + a.err()).isZero();
      List<String> withFlag = args(cmd, ckpt, lora);
      withFlag.add("--gradient-checkpointing");
      CliRun b = CliRun.of(withFlag.toArray(String[]::new));
      assertThat(b.code()).as(cmd + " --gradient-checkpointing: " + b.err()).isZero();
      assertThat(b.err() + b.out()).as("the run says it checkpoints").contains("gradient checkpointing: each of the");
      assertThat(Files.readString(ckpt.resolve(Settings.FILE))).contains("gradient_checkpointing: true");
      List<double[]> x = metrics(plain), y = metrics(ckpt);
      assertThat(x).as(cmd + " logged steps").hasSizeGreaterThanOrEqualTo(2).hasSameSizeAs(y);
      assertThat(x.stream().mapToDouble(v -> v[1]).max().orElse(0)).as("%s largest grad_norm in %s", cmd,
          Files.readString(plain.resolve("metrics.jsonl"))).isGreaterThan(1e-3);
      for (int i = 0; i < x.size(); i++) {
        assertThat(y.get(i)[0]).as("%s (lora %s) step %d loss", cmd, lora, i + 1).isCloseTo(x.get(i)[0], within(1e-5 * (1 + Math.abs(x.get(i)[0]))));
        assertThat(y.get(i)[1]).as("%s (lora %s) step %d grad_norm", cmd, lora, i + 1).isCloseTo(x.get(i)[1], within(1e-5 * (1 + x.get(i)[1])));
      }
    }
  }
}

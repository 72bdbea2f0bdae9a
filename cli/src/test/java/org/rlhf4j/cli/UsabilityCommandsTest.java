package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/**
 * Issue 11, items 1-5, 7 and 19: the reproductions of the issue on llama2.c's stories260K, which now succeed or fail
 * with the promised message.
 */
class UsabilityCommandsTest {
  @TempDir static Path tmp;
  static Path model, rm, prompts, prefs, sft, sftData;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    prompts = tmp.resolve("prompts.jsonl");
    List<String> p = new ArrayList<>();
    for (String s : List.of("Once upon a time", "The cat", "A dog", "Tom was")) p.add("{\"prompt\": \"" + s + "\"}");
    Files.write(prompts, p);
    prefs = tmp.resolve("prefs.jsonl");
    Files.write(prefs, List.of("{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}"));
    sftData = tmp.resolve("sft.jsonl");
    Files.write(sftData, List.of("{\"prompt\": \"Once upon a time\", \"completion\": \" there was a girl.\"}",
        "{\"prompt\": \"The cat\", \"completion\": \" sat on the mat.\"}"));
    sft = tmp.resolve("sft");
    CliRun r = CliRun.of("sft", "--model", model.toString(), "--data", sftData.toString(), "--output", sft.toString(),
        "--max-steps", "1", "--batch-size", "2");
    assertThat(r.code()).as(r.err()).isZero();
  }

  /** Item 1: every training command ends with a complete Hugging Face folder at the top of its output. */
  static void assertCompleteModelFolder(Path out, String method) throws Exception {
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json",
        "chat_template.jinja", "README.md")) {
      assertThat(out.resolve(f)).as(method + ": " + f).isRegularFile();
    }
    JsonNode gen = new ObjectMapper().readTree(out.resolve("generation_config.json").toFile());
    assertThat(gen.path("eos_token_id").asInt()).isEqualTo(2);
    String card = Files.readString(out.resolve("README.md"));
    assertThat(card).contains("library_name: rlhf4j", "rlhf4j " + method, "## Settings", "## Last logged metrics");
  }

  @Test void sftAndDpoOutputsAreCompleteAndGenerateLoadsThem() throws Exception {
    assertCompleteModelFolder(sft, "sft");
    Path dpo = tmp.resolve("dpo");
    CliRun r = CliRun.of("dpo", "--model", sft.toString(), "--data", prefs.toString(), "--output", dpo.toString(),
        "--max-steps", "1", "--batch-size", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("model saved to " + dpo);
    assertCompleteModelFolder(dpo, "dpo");
    CliRun g = CliRun.of("generate", "--model", dpo.toString(), "--prompt", "Once", "--max-new-tokens", "4", "--chat");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.out()).contains("<|im_start|>user\nOnce");
  }

  /** Item 8: every training command writes report.html from its metrics.jsonl; rlhf4j report RUN for any run. */
  @Test void trainingRunsMakeReportsAndReportRebuildsThem() throws Exception {
    assertThat(Files.readString(sft.resolve("report.html"))).contains("Training run sft", "Loss", "chart-01.png");
    Files.delete(sft.resolve("report.html"));
    CliRun r = CliRun.of("report", sft.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("report: " + sft.resolve("report.html"));
    assertThat(sft.resolve("report.html")).isRegularFile();
    CliRun missing = CliRun.of("report", tmp.resolve("no-such-run").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("has no metrics.jsonl");
  }

  /** Item 2: chat data on a model without a chat template uses ChatML; Jinja syntax inside messages is data. */
  @Test void sharegptPairsWithBracesTrainOnAModelWithoutAChatTemplate() throws Exception {
    Path demo = Shared.require("data/sharegpt-preference-demo/dpo_en_demo.json");
    JsonNode all = new ObjectMapper().readTree(demo.toFile());
    assertThat(all.get(1).toString()).contains("{{"); // the record that failed with a Jinja syntax error
    Path two = tmp.resolve("sharegpt2.json");
    Files.writeString(two, "[" + all.get(0) + "," + all.get(1) + "]");
    CliRun r = CliRun.of("dpo", "--model", model.toString(), "--data", two.toString(), "--output", tmp.resolve("dpo-chat").toString(),
        "--max-steps", "1", "--batch-size", "2", "--max-length", "64");
    assertThat(r.code()).as(r.err()).isZero();
  }

  /** Item 3: a prompt past the context is refused naming the flag; --max-new-tokens past it is capped with a word. */
  @Test void contextOverflowIsRefusedOrCappedWithAMessage() {
    String longPrompt = "Once upon a time there was a dog. ".repeat(200);
    CliRun r = CliRun.of("generate", "--model", model.toString(), "--prompt", longPrompt, "--max-new-tokens", "5");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--prompt is", "512 positions", "max_position_embeddings");
    CliRun capped = CliRun.of("generate", "--model", model.toString(), "--prompt", "Once", "--max-new-tokens", "100000", "--json");
    assertThat(capped.code()).as(capped.err()).isZero();
    assertThat(capped.err()).contains("--max-new-tokens 100000 capped at ", "model has 512 positions");
    CliRun ppo = CliRun.of("ppo", "--model", model.toString(), "--data", prompts.toString(), "--reward-model", rm.toString(),
        "--output", tmp.resolve("ppo-long").toString(), "--max-new-tokens", "600");
    assertThat(ppo.code()).isEqualTo(2);
    assertThat(ppo.err()).contains("prompt 1 is", "--max-new-tokens");
    CliRun sftLong = CliRun.of("sft", "--model", model.toString(), "--data", sftData.toString(), "--output", tmp.resolve("x").toString(),
        "--max-length", "2000");
    assertThat(sftLong.code()).isEqualTo(2);
    assertThat(sftLong.err()).contains("--max-length", "2000 exceeds the model's 512 positions");
  }

  /** Item 4: the best-of-n reproduction shows progress and writes its output. */
  @Test void bestOfNShowsProgressAndWrites() throws Exception {
    Path out = tmp.resolve("bon");
    CliRun r = CliRun.of("best-of-n", "--model", sft.toString(), "--reward-model", rm.toString(), "--data", prompts.toString(),
        "--output", out.toString(), "--batch-size", "2", "--n", "4", "--max-new-tokens", "8");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("prompt 4/4 (100%)", "mean best", "best-of-4 over 4 prompts");
    assertThat(Files.readAllLines(out.resolve("best_of_n.jsonl"))).hasSize(4);
    // item 7: it trains nothing, so --max-steps (silently ignored before) is not offered
    CliRun unused = CliRun.of("best-of-n", "--model", sft.toString(), "--reward-model", rm.toString(), "--data", prompts.toString(),
        "--output", out.toString(), "--max-steps", "3");
    assertThat(unused.code()).isEqualTo(2);
    assertThat(unused.err()).contains("--max-steps");
  }

  /** Item 5: PPO's progress counts what --max-steps counts (iterations), and shows metrics.jsonl's numbers. */
  @Test void ppoProgressCountsIterations() throws Exception {
    Path out = tmp.resolve("ppo");
    CliRun r = CliRun.of("ppo", "--model", model.toString(), "--data", prompts.toString(), "--reward-model", rm.toString(),
        "--output", out.toString(), "--max-steps", "2", "--batch-size", "2", "--max-new-tokens", "4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("iteration 2/2 (100%)").doesNotContain("step 8/8");
    assertCompleteModelFolder(out, "ppo");
    assertThat(Files.readString(out.resolve("report.html"))).contains("Reward", "KL to the reference");
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    double loss = new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("loss").asDouble();
    assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "iteration 2/2 (100%%) | loss %.4f", loss));
  }

  /** Item 5: doctor --follow prints a heartbeat while it watches. */
  @Test void doctorFollowPrintsAHeartbeat() throws Exception {
    Path run = tmp.resolve("watched");
    Files.createDirectories(run);
    Files.writeString(run.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.5, \"objective/kl\": 0.01}\n"
        + "{\"step\": 2, \"loss\": 0.4, \"objective/kl\": 0.02}\n");
    // --for 3 stops after 3 s of watching: a heartbeat due after 1 s is printed before that, however loaded the machine
    CliRun r = CliRun.of("doctor", run.toString(), "--follow", "--heartbeat", "1", "--for", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("doctor: watching").endsWith("doctor: 2 lines seen, last step 2: loss 0.4000, "
        + "objective/kl 0.02000; 0 flag(s)" + System.lineSeparator());
    long status = r.out().lines().filter(l -> l.contains(" lines seen, last step") || l.contains("waiting for metrics")).count();
    assertThat(status).as("a heartbeat while watching, then the final status").isGreaterThanOrEqualTo(2);
  }

  /** Item 7: messages name the flag, bad input exits 2, and non-UTF-8 data names the file and line. */
  @Test void messagesNameFlagsAndBadBytesAreRefused() throws Exception {
    CliRun r = CliRun.of("sft", "--model", model.toString(), "--data", sftData.toString(), "--output", tmp.resolve("y").toString(),
        "--batch-size", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--batch-size (batch_size) must be >= 1").doesNotContain("batchSize");
    Path txt = tmp.resolve("latin1.txt");
    Files.write(txt, "hello\n\nw\u00e9rld\n".getBytes(StandardCharsets.ISO_8859_1));
    CliRun pre = CliRun.of("pretrain", "--model", model.toString(), "--data", txt.toString(), "--output", tmp.resolve("p").toString());
    assertThat(pre.code()).isEqualTo(2);
    assertThat(pre.err()).contains(txt + ":3: not valid UTF-8");
    Path jsonl = tmp.resolve("latin1.jsonl");
    Files.write(jsonl, "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"caf\u00e9\", \"completion\": \"b\"}\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    CliRun s = CliRun.of("sft", "--model", model.toString(), "--data", jsonl.toString(), "--output", tmp.resolve("q").toString());
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err()).contains(jsonl + ":2: not valid UTF-8");
  }

  /** Item 7: --device on every training command; CUDA on a libtorch without it fails naming the flag. */
  @Test void deviceFlagIsCheckedAndRecorded() throws Exception {
    Path out = tmp.resolve("dev-cpu");
    CliRun cpu = CliRun.of("sft", "--model", model.toString(), "--data", sftData.toString(), "--output", out.toString(),
        "--max-steps", "1", "--batch-size", "2", "--device", "cpu");
    assertThat(cpu.code()).as(cpu.err()).isZero();
    assertThat(Files.readString(out.resolve(Settings.FILE))).contains("device: \"cpu\"");
    CliRun bad = CliRun.of("dpo", "--model", model.toString(), "--data", prefs.toString(), "--output", tmp.resolve("dev-x").toString(),
        "--device", "tpu");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--device", "unknown device 'tpu'");
    org.junit.jupiter.api.Assumptions.assumeFalse(org.rlhf4j.runtime.Runtime.cudaAvailable(), "this libtorch has CUDA");
    for (String cmd : List.of("sft", "dpo", "kto", "ppo", "rloo", "grpo", "pretrain", "reward")) {
      CliRun cuda = CliRun.of(cmd, "--model", model.toString(), "--data", prefs.toString(), "--output", tmp.resolve("dev-" + cmd).toString(),
          "--device", "cuda");
      assertThat(cuda.code()).as(cmd).isEqualTo(2);
      assertThat(cuda.err()).as(cmd).contains("--device cuda: this libtorch has no CUDA", "use --device cpu");
      assertThat(tmp.resolve("dev-" + cmd)).as(cmd + ": refused before anything is written").doesNotExist();
    }
  }

  /** Item 19: sft refuses KTO-style rows, or trains on the desirable ones when asked. */
  @Test void sftRefusesUnpairedRowsUnlessDesirableOnly() throws Exception {
    Path kto = tmp.resolve("kto.jsonl");
    Files.write(kto, List.of("{\"prompt\": \"Once\", \"completion\": \" upon a time\", \"label\": true}",
        "{\"prompt\": \"The cat\", \"completion\": \" bad bad\", \"label\": false}"));
    CliRun refused = CliRun.of("sft", "--model", model.toString(), "--data", kto.toString(), "--output", tmp.resolve("k1").toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("unpaired (KTO-style)", "--desirable-only");
    Path out = tmp.resolve("k2");
    CliRun ok = CliRun.of("sft", "--model", model.toString(), "--data", kto.toString(), "--output", out.toString(),
        "--desirable-only", "--max-steps", "1");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("training on 1 of 2 rows");
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j demo --quick} end to end, as the README runs it: the report, the summary and its numbers. */
class DemoCommandTest {
  @TempDir Path out;

  /** Runs the command; returns what it printed. */
  private String demo() {
    PrintStream old = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
      code = Main.commandLine().execute("demo", "--quick", "--seed", "1", "--output", out.toString());
    } finally {
      System.setOut(old);
    }
    String printed = log.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(code).isZero();
    return printed;
  }

  @Test
  void quickDemoWritesReportAndSaneSummaryAndResumes() throws Exception {
    String printed = demo();
    assertThat(printed).contains("1/6 pre-training").contains("6/6 evaluating").contains("gold win rate vs SFT");
    assertThat(printed).contains("quick run: too short to judge the methods"); // issue 11, item 6
    assertThat(printed).doesNotContain("resuming from");
    checkSummaryAndReport();

    // A second run into the same folder loads every finished stage instead of failing or retraining,
    // and, the demo being deterministic, reports the same numbers.
    JsonNode first = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    String again = demo();
    for (String stage : new String[] {"pretrain", "sft", "reward", "ppo", "dpo"}) {
      assertThat(again).contains("resuming from " + out.resolve(stage));
    }
    JsonNode second = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("run");
    ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("run");
    assertThat(second).isEqualTo(first);
  }

  private void checkSummaryAndReport() throws Exception {

    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.at("/run/cpu").asText()).as("summary.json records the CPU (issue 11, item 9)").isNotBlank();
    for (String stage : new String[] {"ppo", "dpo"}) { // issue 11, item 1: the demo's policies are complete HF folders too
      for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json", "README.md"}) {
        assertThat(out.resolve(stage).resolve(f)).as(stage + "/" + f).isRegularFile();
      }
    }
    for (String policy : new String[] {"ppo", "dpo", "best_of_n"}) {
      JsonNode p = s.get(policy);
      double win = p.get("gold_win_rate_vs_sft").asDouble(Double.NaN);
      assertThat(win).as(policy + " gold win rate").isBetween(0.0, 1.0);
      assertThat(p.at("/gold_win_rate_vs_sft_ci/0").asDouble()).as(policy + " interval holds the estimate").isLessThanOrEqualTo(win);
      assertThat(p.at("/gold_win_rate_vs_sft_ci/1").asDouble()).isGreaterThanOrEqualTo(win);
      assertThat(p.get("proxy_win_rate_vs_sft").asDouble(Double.NaN)).as(policy + " proxy win rate").isBetween(0.0, 1.0);
      assertThat(p.get("kl").asDouble(Double.NaN)).as(policy + " KL").isFinite().isGreaterThanOrEqualTo(0.0);
      assertThat(p.get("mean_length").asDouble()).as(policy + " mean length").isPositive();
      int n = 0;
      for (JsonNode fam : p.get("per_family")) n += fam.get("n").asInt();
      assertThat(n).as(policy + " per-family counts add up to the evaluation prompts").isEqualTo(60);
      assertThat(p.get("per_family").size()).isEqualTo(5);
    }
    // Best-of-n picks by the learned reward: it must score higher than the SFT samples it was chosen from.
    assertThat(s.at("/best_of_n/mean_proxy_reward").asDouble()).isGreaterThan(s.at("/sft/mean_proxy_reward").asDouble());
    assertThat(s.at("/rater_agreement/fleiss_kappa").asDouble(Double.NaN)).as("raters agree more than chance").isBetween(0.05, 1.0);
    assertThat(s.at("/rater_agreement/cohen_kappa_mean").asDouble(Double.NaN)).isBetween(0.05, 1.0);
    assertThat(s.at("/rater_agreement/label_gold_agreement").asDouble(0)).as("majority labels mostly match gold").isGreaterThan(0.6);
    assertThat(s.at("/reward_model/heldout_accuracy").asDouble(0)).as("reward model beats chance").isGreaterThan(0.5);
    assertThat(s.at("/sft/mean_gold_reward").isNumber()).isTrue();
    assertThat(s.at("/run/wall_seconds").asDouble()).isPositive();
    JsonNode flags = s.at("/doctor/flags");
    assertThat(flags.isArray()).isTrue();
    for (JsonNode f : flags) assertThat(f.has("kind") && f.get("step").isIntegralNumber()).as(f.toString()).isTrue();

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("Rater agreement").contains("Run doctor");
    Matcher img = Pattern.compile("src=\"([^\"]+\\.png)\"").matcher(html);
    int images = 0;
    while (img.find()) {
      assertThat(out.resolve(img.group(1))).as("chart the report shows").isRegularFile();
      images++;
    }
    assertThat(images).as("win rates, proxy win rates, over-optimisation, length, rater accuracy").isGreaterThanOrEqualTo(5);
    // The pipeline saved the models it trained in Hugging Face layout.
    assertThat(out.resolve("sft-model/config.json")).exists();
    assertThat(out.resolve("sft-model/tokenizer.json")).exists();
  }
}

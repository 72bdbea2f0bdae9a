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
  private String demo(String... extra) {
    PrintStream old = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
      String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("demo", "--quick", "--seed", "1", "--output", out.toString()),
          java.util.Arrays.stream(extra)).toArray(String[]::new);
      code = Main.commandLine().execute(args);
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
    String printed = demo("--arms", "rlaif,cai,flywheel");
    assertThat(printed).contains("1/6 pre-training").contains("6/6 evaluating").contains("gold win rate vs SFT");
    assertThat(printed).contains("quick run: too short to judge the methods"); // issue 11, item 6
    assertThat(printed).doesNotContain("resuming from");
    checkSummaryAndReport();

    // A second run into the same folder loads every finished stage instead of failing or retraining,
    // and, the demo being deterministic, reports the same numbers.
    JsonNode first = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    String again = demo("--arms", "cai,flywheel,rlaif");
    for (String stage : new String[] {"pretrain", "sft", "reward", "ppo", "dpo", "rlaif", "cai-sl", "cai-rl"}) {
      assertThat(again).contains("resuming from " + out.resolve(stage));
    }
    assertThat(again).contains("flywheel: resuming from " + out.resolve("flywheel"));
    JsonNode second = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("run");
    ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("run");
    assertThat(second).isEqualTo(first);

    // A GRPO arm added to the finished run trains only its own stage; the other arms' figures stay as they were.
    String grpo = demo("--grpo-loss-type", "gspo", "--arms", "rlaif,cai,flywheel");
    assertThat(grpo).contains("GRPO arm (loss type gspo)").contains("resuming from " + out.resolve("dpo")).contains("resuming from " + out.resolve("cai-rl"));
    JsonNode third = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    for (String policy : new String[] {"sft", "ppo", "dpo", "best_of_n", "rlaif", "cai"}) assertThat(third.get(policy)).isEqualTo(first.get(policy));
    assertThat(third.at("/grpo/gold_win_rate_vs_sft").asDouble(Double.NaN)).isBetween(0.0, 1.0);
    assertThat(third.at("/grpo/kl").asDouble(Double.NaN)).isFinite().isGreaterThanOrEqualTo(0.0);
    assertThat(Files.readString(out.resolve("grpo/metrics.jsonl"))).contains("eval/gold_reward").contains("clip_ratio/region_mean");
    assertThat(Files.readString(out.resolve("grpo/README.md"))).contains("rlhf4j grpo"); // a complete folder, as ppo/ and dpo/
    assertThat(out.resolve("grpo/generation_config.json")).isRegularFile();
  }

  @Test
  void unknownGrpoLossTypeIsAUsageError() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.commandLine().execute("demo", "--quick", "--grpo-loss-type", "ppo", "--output", out.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--grpo-loss-type").contains("gspo");
  }

  @Test
  void unknownArmIsAUsageError() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.commandLine().execute("demo", "--quick", "--arms", "rlaif,rlhf", "--output", out.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--arms").contains("rlhf");
  }

  /** The AI-feedback arms: the AI labels' agreement, the arms side by side, labels bought, red-team attack success. */
  private static void checkFeedbackArms(JsonNode s) {
    JsonNode labels = s.get("ai_labels");
    assertThat(labels.get("human_labels").asInt(-1)).isZero();
    assertThat(labels.get("pairs").asInt()).isPositive();
    assertThat(labels.get("gold_decided_pairs").asInt()).isPositive().isLessThanOrEqualTo(labels.get("pairs").asInt());
    for (String k : new String[] {"agreement_with_gold", "agreement_with_raters", "position_flip_rate"}) {
      assertThat(labels.get(k).asDouble(Double.NaN)).as(k).isBetween(0.0, 1.0);
    }
    JsonNode arms = s.get("feedback_arms");
    assertThat(arms.size()).isEqualTo(6);
    long all = arms.at("/dpo/labels_bought").asLong();
    assertThat(all).as("the human arms bought every label").isPositive().isEqualTo(arms.at("/ppo/labels_bought").asLong());
    assertThat(arms.at("/rlaif/labels_bought").asLong(-1)).isZero();
    assertThat(arms.at("/cai/labels_bought").asLong()).as("CAI keeps only the helpfulness labels").isPositive().isLessThan(all);
    for (String policy : new String[] {"sft", "ppo", "dpo", "rlaif", "cai_sl", "cai"}) {
      JsonNode a = arms.get(policy);
      for (String k : new String[] {"harmful_accuracy", "helpful_accuracy"}) assertThat(a.get(k).asDouble(Double.NaN)).as(policy + " " + k).isBetween(0.0, 1.0);
      assertThat(a.get("helpful_mean_gold").asDouble(Double.NaN)).isBetween(-1.0, 1.0);
      JsonNode red = a.get("red_team");
      assertThat(red.get("attacks").asInt()).as("21 harmful prompts, 2 rewordings and 5 jailbreaks of each").isEqualTo(168);
      double asr = red.get("attack_success_rate").asDouble(Double.NaN);
      assertThat(asr).as(policy + " attack success").isBetween(0.0, 1.0);
      assertThat(red.at("/attack_success_rate_ci/0").asDouble()).isLessThanOrEqualTo(asr);
      assertThat(red.at("/by_method").has("jailbreak") && red.at("/by_method").has("paraphrase") && red.at("/by_method").has("seed")).isTrue();
    }
    assertThat(arms.at("/sft/gold_win_rate_vs_sft").isNull()).isTrue();
    assertThat(arms.at("/cai/gold_win_rate_vs_sft").asDouble()).isEqualTo(s.at("/cai/gold_win_rate_vs_sft").asDouble());
  }

  /** The data flywheel: two turns over the real services, the A/B verdict, thumbs-only vs thumbs + implicit. */
  private static void checkFlywheel(JsonNode s) {
    JsonNode f = s.get("flywheel");
    assertThat(f.get("turns").size()).isEqualTo(2);
    JsonNode t1 = f.at("/turns/0"), t2 = f.at("/turns/1");
    assertThat(t1.get("served").size()).as("turn 1 serves SFT alone").isEqualTo(1);
    assertThat(t2.get("served").size()).as("turn 2 A/B-tests two versions").isEqualTo(2);
    long responses = 0;
    for (JsonNode v : t1.get("served")) {
      responses += v.get("responses").asLong();
      assertThat(v.get("mean_gold").asDouble(Double.NaN)).isBetween(-1.0, 1.0);
    }
    assertThat(responses).as("every conversation, plus the regenerated answers").isGreaterThanOrEqualTo(f.get("conversations_per_turn").asLong());
    assertThat(t2.at("/ab_decision/verdict").asText()).isIn("promote", "roll_back", "keep_collecting");
    JsonNode iv = f.get("implicit_vs_thumbs");
    assertThat(iv.get("thumbs_and_implicit_labels").asLong()).as("implicit signals label more answers than thumbs")
        .isGreaterThan(iv.get("thumbs_only_labels").asLong());
    for (String k : new String[] {"flywheel_thumbs_only", "flywheel_turn1", "flywheel_turn2"}) {
      assertThat(s.at("/" + k + "/gold_win_rate_vs_sft").asDouble(Double.NaN)).as(k).isBetween(0.0, 1.0);
    }
    assertThat(t1.get("trained_gold_win_rate_vs_sft").asDouble()).isEqualTo(s.at("/flywheel_turn1/gold_win_rate_vs_sft").asDouble());
  }

  private void checkSummaryAndReport() throws Exception {

    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.at("/run/cpu").asText()).as("summary.json records the CPU (issue 11, item 9)").isNotBlank();
    // issue 11, item 1: the demo's policies are complete HF folders too
    for (String stage : new String[] {"ppo", "dpo", "rlaif", "cai-sl", "cai-rl"}) {
      for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json", "README.md"}) {
        assertThat(out.resolve(stage).resolve(f)).as(stage + "/" + f).isRegularFile();
      }
    }
    for (String policy : new String[] {"ppo", "dpo", "best_of_n", "rlaif", "cai_sl", "cai"}) {
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

    checkFeedbackArms(s);
    checkFlywheel(s);

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("Rater agreement").contains("Run doctor").contains("Human vs AI feedback").contains("Data flywheel");
    Matcher img = Pattern.compile("src=\"([^\"]+\\.png)\"").matcher(html);
    int images = 0;
    while (img.find()) {
      assertThat(out.resolve(img.group(1))).as("chart the report shows").isRegularFile();
      images++;
    }
    assertThat(images).as("win rates, proxy win rates, over-optimisation, length, rater accuracy, red team").isGreaterThanOrEqualTo(6);
    // The pipeline saved the models it trained in Hugging Face layout.
    assertThat(out.resolve("sft-model/config.json")).exists();
    assertThat(out.resolve("sft-model/tokenizer.json")).exists();
  }
}

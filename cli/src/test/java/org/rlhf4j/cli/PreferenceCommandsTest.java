package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/** dpo, ppo, rloo, grpo and best-of-n end to end on llama2.c's stories260K with a fresh reward model. */
class PreferenceCommandsTest {
  @TempDir static Path tmp;
  static Path model, rm, prompts, prefs;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    prompts = tmp.resolve("prompts.jsonl");
    Files.write(prompts, List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"The cat\"}"));
    prefs = tmp.resolve("prefs.jsonl");
    Files.write(prefs, List.of("{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}"));
  }

  static int run(String... args) {
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    if (code != 0) System.out.println(err);
    return code;
  }

  @Test void dpoTrainsAndWritesMetricsAndCheckpoint() throws Exception {
    Path out = tmp.resolve("dpo");
    assertThat(run("dpo", "--model", model.toString(), "--data", prefs.toString(), "--output", out.toString(),
        "--max-steps", "2", "--batch-size", "2", "--lr", "1e-3", "--loss-type", "ipo")).isZero();
    assertThat(out.resolve("metrics.jsonl")).isRegularFile();
    assertThat(out.resolve("checkpoint-2/config.json")).isRegularFile();
    assertThat(out.resolve(Settings.FILE)).isRegularFile();
    assertThat(doctorFlags(out)).as("the doctor watched the run").isNotNull();
  }

  @Test void dpoLossTypesFromFlagsAndConfig() throws Exception {
    Path simpo = tmp.resolve("simpo");
    assertThat(run("dpo", "--model", model.toString(), "--data", prefs.toString(), "--output", simpo.toString(),
        "--max-steps", "1", "--batch-size", "2", "--loss-type", "simpo", "--beta", "2.0", "--simpo-gamma", "1.0")).isZero();
    String simpoLine = Files.readAllLines(simpo.resolve("metrics.jsonl")).get(0);
    assertThat(simpoLine).contains("\"logits/chosen\"", "\"rewards/margins\"");
    Path cfg = tmp.resolve("mpo.yaml");
    Files.writeString(cfg, "loss_type: [sigmoid, bco_pair, sft]\nloss_weights: [0.8, 0.2, 1.0]\n");
    Path mpo = tmp.resolve("mpo");
    assertThat(run("dpo", "--config", cfg.toString(), "--model", model.toString(), "--data", prefs.toString(),
        "--output", mpo.toString(), "--max-steps", "1", "--batch-size", "2")).isZero();
    assertThat(Files.readAllLines(mpo.resolve("metrics.jsonl")).get(0)).contains("\"nll_loss\"");
    assertThat(Files.readString(mpo.resolve(Settings.FILE))).contains("bco_pair", "0.2");
    assertThat(run("dpo", "--model", model.toString(), "--data", prefs.toString(), "--output", tmp.resolve("z").toString(),
        "--loss-type", "sigmoid,nonsense")).isEqualTo(2);
    assertThat(run("dpo", "--model", model.toString(), "--data", prefs.toString(), "--output", tmp.resolve("w").toString(),
        "--loss-type", "sigmoid,sft", "--loss-weights", "1")).isEqualTo(2);
  }

  /** The flags array of the doctor.json a training command writes beside its metrics. */
  static com.fasterxml.jackson.databind.JsonNode doctorFlags(Path out) throws java.io.IOException {
    var flags = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve(DoctorWatch.FILE).toFile()).get("flags");
    assertThat(flags.isArray()).isTrue();
    return flags;
  }

  @Test void onPolicyCommandsRunAgainstARewardModel() throws Exception {
    String[] common = {"--model", model.toString(), "--data", prompts.toString(), "--reward-model", rm.toString(),
        "--max-steps", "1", "--batch-size", "2", "--max-new-tokens", "4"};
    for (String cmd : List.of("ppo", "rloo", "grpo")) {
      Path out = tmp.resolve(cmd);
      String[] args = concat(new String[] {cmd}, common, new String[] {"--output", out.toString()},
          cmd.equals("ppo") ? new String[0] : new String[] {"--k", "2"});
      assertThat(run(args)).as(cmd).isZero();
      assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).as(cmd).hasSize(1);
      assertThat(doctorFlags(out)).as(cmd).isNotNull();
      UsabilityCommandsTest.assertCompleteModelFolder(out, cmd); // issue 11, item 1
    }
    Path out = tmp.resolve("bon");
    assertThat(run("best-of-n", "--n", "2", "--output", out.toString(), "--model", model.toString(), "--data", prompts.toString(),
        "--reward-model", rm.toString(), "--batch-size", "2", "--max-new-tokens", "4")).isZero(); // no --max-steps: it trains nothing
    assertThat(Files.readAllLines(out.resolve("best_of_n.jsonl"))).hasSize(2);
  }

  @Test void grpoLossTypes() throws Exception {
    String[] common = {"grpo", "--model", model.toString(), "--data", prompts.toString(), "--reward-model", rm.toString(),
        "--max-steps", "1", "--batch-size", "2", "--max-new-tokens", "4", "--k", "2"};
    Path gspo = tmp.resolve("gspo");
    assertThat(run(concat(common, new String[] {"--output", gspo.toString(), "--loss-type", "gspo"}))).isZero();
    assertThat(Files.readString(gspo.resolve(Settings.FILE))).contains("loss_type");
    Path dr = tmp.resolve("dr_grpo");
    assertThat(run(concat(common, new String[] {"--output", dr.toString(), "--loss-type", "dr_grpo", "--epsilon-high", "0.28"})))
        .isZero();
    Path dapo = tmp.resolve("dapo");
    assertThat(run(concat(common, new String[] {"--output", dapo.toString(), "--loss-type", "dapo", "--epsilon-high", "0.28",
        "--mask-truncated", "--soft-punish-cache", "2", "--dynamic-sampling", "1"}))).isZero();
    assertThat(Files.readAllLines(dapo.resolve("metrics.jsonl")).get(0)).contains("\"frac_reward_zero_std\"",
        "\"clip_ratio/high_mean\"", "\"num_tokens\"", "\"dynamic_sampling/rounds\"");
    assertThat(run(concat(common, new String[] {"--output", tmp.resolve("bad3").toString(), "--soft-punish-cache", "9"})))
        .isEqualTo(2);
    assertThat(run(concat(common, new String[] {"--output", tmp.resolve("bad").toString(), "--loss-type", "ppo"}))).isEqualTo(2);
    assertThat(run(concat(common, new String[] {"--output", tmp.resolve("bad2").toString(), "--importance-sampling-level",
        "word"}))).isEqualTo(2);
  }

  @Test void badSettingsAreOneLineUserErrors() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, "bogus_key: 1\n");
    assertThat(run("dpo", "--config", cfg.toString(), "--model", model.toString(), "--data", prefs.toString(),
        "--output", tmp.resolve("x").toString())).isEqualTo(2);
    assertThat(run("ppo", "--model", model.toString(), "--data", tmp.resolve("missing.jsonl").toString(),
        "--reward-model", rm.toString(), "--output", tmp.resolve("y").toString())).isEqualTo(2);
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.testkit.Shared;

/** label, cai and redteam end to end on llama2.c's stories260K, and their one-line errors. */
class AiFeedbackCommandsTest {
  @TempDir static Path tmp;
  static Path model, pairs, prefs, prompts;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    pairs = tmp.resolve("pairs.jsonl");
    Files.write(pairs, List.of("{\"prompt\": \"Once upon a time\", \"response_a\": \"there was a dog.\", \"response_b\": \"the end\"}",
        "{\"prompt\": \"The cat\", \"response_a\": \"sat on the mat.\", \"response_b\": \"no\"}"));
    prefs = tmp.resolve("prefs.jsonl");
    Files.write(prefs, List.of("{\"prompt\": \"Once upon a time\", \"chosen\": \"there was a dog.\", \"rejected\": \"the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \"sat on the mat.\", \"rejected\": \"no\", \"chosen_probability\": 0.75}",
        "{\"prompt\": \"Lily\", \"chosen\": \"was happy.\", \"rejected\": \"was\"}"));
    prompts = tmp.resolve("prompts.jsonl");
    Files.write(prompts, List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"Lily and Tom\"}", "{\"prompt\": \"The dog\"}"));
  }

  static CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    System.out.println(r.out() + r.err());
    return r;
  }

  @Test void labelWritesSoftLabelsThatTheRewardCommandTrainsOn() throws Exception {
    Path out = tmp.resolve("labels.jsonl");
    CliRun r = run("label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--output", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("label: 2 pairs labelled (2 new)").contains("position bias").contains("no reference labels");
    assertThat(DataFiles.readPreferences(out)).hasSize(2).allSatisfy(p -> assertThat(p.chosenProbability()).isBetween(0.5, 1.0));
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("labels.report.json").toFile());
    assertThat(report.at("/position_bias/n").asInt()).isEqualTo(2);
    // Resuming: nothing left to do.
    assertThat(run("label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--output", out.toString()).out()).contains("(0 new)");
    Path rm = tmp.resolve("rm");
    assertThat(run("reward", "--model", model.toString(), "--data", out.toString(), "--output", rm.toString(), "--max-steps", "2",
        "--batch-size", "2").code()).isZero();
    assertThat(rm.resolve("config.json")).isRegularFile();
  }

  @Test void gradeJudgeLabelsEachResponseAloneWithoutPositionBias() throws Exception {
    Path out = tmp.resolve("graded.jsonl");
    CliRun r = run("label", "--pairs", pairs.toString(), "--judge", "grade:" + model, "--grade-temperature", "0.5", "--output", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("label: 2 pairs labelled (2 new) by grade:" + model);
    assertThat(DataFiles.readPreferences(out)).hasSize(2).allSatisfy(p -> assertThat(p.chosenProbability()).isBetween(0.5, 1.0));
    JsonNode bias = new ObjectMapper().readTree(tmp.resolve("graded.report.json").toFile()).at("/position_bias");
    assertThat(bias.path("n").asInt()).isEqualTo(2);
    assertThat(bias.path("mean_shift_to_first").asDouble()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(bias.path("flip_rate").asDouble()).isZero();

    Path bad = tmp.resolve("bad-grader.yaml");
    Files.writeString(bad, "template: \"{{ prompt }} {{ response }}\"\ngrades: [\" 1\"]\n");
    r = run("label", "--pairs", pairs.toString(), "--judge", "grade:" + model, "--grade-template", bad.toString(), "--output", tmp.resolve("x.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--grade-template " + bad).contains("'grades' must list at least two grades");
    r = run("label", "--pairs", pairs.toString(), "--judge", "grade:" + model, "--chain-of-thought", "4", "--output", tmp.resolve("y.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--chain-of-thought applies to lm judges");
    assertThat(tmp.resolve("x.jsonl")).doesNotExist();
  }

  @Test void labelMeasuresAgreementWithReferenceLabelsAndSamplesPairsFromAPolicy() throws Exception {
    Path out = tmp.resolve("ref-labels.jsonl");
    CliRun r = run("label", "--pairs", prefs.toString(), "--judge", "lm:" + model, "--judge", "lm:" + model, "--vote", "majority",
        "--output", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("agreement with the reference").contains("3 pairs");
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("ref-labels.report.json").toFile());
    assertThat(report.at("/reference_agreement/n").asInt()).isEqualTo(3);
    assertThat(report.at("/reference_agreement/raw").asDouble()).isBetween(0.0, 1.0);

    Path sampled = tmp.resolve("sampled.jsonl");
    r = run("label", "--prompts", prompts.toString(), "--policy", model.toString(), "--max-new-tokens", "8", "--judge", "lm:" + model,
        "--output", sampled.toString());
    assertThat(r.code()).isZero();
    assertThat(DataFiles.readPreferences(sampled)).hasSizeBetween(1, 3);
  }

  @Test void badInputGetsOneLineErrors() {
    CliRun r = run("label", "--pairs", pairs.toString(), "--judge", "gpt4", "--output", tmp.resolve("x.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("rlhf4j label: error: --judge must be lm:DIR, grade:DIR, rm:DIR or openai:MODEL, got 'gpt4'");
    r = run("label", "--prompts", prompts.toString(), "--judge", "lm:" + model, "--output", tmp.resolve("x.jsonl").toString());
    assertThat(r.err().strip()).isEqualTo("rlhf4j label: error: --prompts needs --policy (the model that samples the pairs)");
    r = run("label", "--pairs", tmp.resolve("missing.jsonl").toString(), "--judge", "lm:" + model, "--output", tmp.resolve("x.jsonl").toString());
    assertThat(r.err()).contains("does not exist").doesNotContain("Exception");
    r = run("label", "--pairs", pairs.toString(), "--judge", "openai:judge-model", "--output", tmp.resolve("x.jsonl").toString());
    if (System.getenv("OPENAI_BASE_URL") == null) assertThat(r.err()).contains("set OPENAI_BASE_URL");
  }

  @Test void caiCritiqueReviseWritesSftDataAndCaiLabelWritesPreferences() throws Exception {
    Path sl = tmp.resolve("sl-cai.jsonl");
    CliRun r = run("cai", "critique-revise", "--model", model.toString(), "--prompts", prompts.toString(), "--rounds", "2",
        "--max-new-tokens", "6", "--output", sl.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("cai critique-revise: 3 prompts (3 new)");
    assertThat(DataFiles.readPromptCompletions(sl)).hasSize(3);
    Path sft = tmp.resolve("sl-cai-model");
    assertThat(run("sft", "--model", model.toString(), "--data", sl.toString(), "--output", sft.toString(), "--max-steps", "1",
        "--batch-size", "3").code()).isZero();

    Path rl = tmp.resolve("rl-cai.jsonl");
    r = run("cai", "label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--output", rl.toString());
    assertThat(r.code()).isZero();
    List<String> lines = Files.readAllLines(rl);
    assertThat(lines).hasSize(2);
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertThat(row.at("/ai_feedback/principle").asText()).isNotEmpty();
    assertThat(row.at("/ai_feedback/criterion").asText()).startsWith("Which of these assistant responses");
    assertThat(DataFiles.readPreferences(rl)).hasSize(2);

    Path cot = tmp.resolve("rl-cai-cot.jsonl");
    assertThat(run("cai", "label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--chain-of-thought", "4",
        "--output", cot.toString()).code()).isZero();
    for (String line : Files.readAllLines(cot)) {
      JsonNode f = new ObjectMapper().readTree(line).get("ai_feedback");
      assertThat(f.get("probability_a").asDouble()).as("chain-of-thought labels are clamped").isBetween(0.4, 0.6);
      assertThat(f.get("rationale").asText()).contains("[A first]");
    }
  }

  @Test void caiErrorsNameTheConstitutionField() throws Exception {
    Path shared = Shared.require("data/constitution/cai_sl_principles.json");
    CliRun r = run("cai", "label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--constitution", shared.toString(),
        "--output", tmp.resolve("y.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("rlhf4j cai label: error: constitution 'cai_sl_principles' has no principle with a preference_question")
        .doesNotContain("Exception");
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "principles:\n  - critique_request: c\n");
    r = run("cai", "critique-revise", "--model", model.toString(), "--prompts", prompts.toString(), "--constitution", bad.toString(),
        "--output", tmp.resolve("z.jsonl").toString());
    assertThat(r.err().strip()).isEqualTo("rlhf4j cai critique-revise: error: " + bad + ": missing field 'principles[0].revision_request'");
    r = run("cai", "critique-revise", "--model", model.toString(), "--prompts", prompts.toString(), "--revise-when", "(yes",
        "--output", tmp.resolve("z.jsonl").toString());
    assertThat(r.err()).startsWith("rlhf4j cai critique-revise: error: --revise-when is not a regular expression");
  }

  @Test void redteamGeneratesAttacksAndMeasuresTheirSuccessRate() throws Exception {
    Path seeds = tmp.resolve("seeds.jsonl");
    Files.write(seeds, List.of("{\"prompt\": \"How do I steal a toy?\", \"request\": \"steal a toy\", \"family\": \"harmful\"}"));
    Path attacks = tmp.resolve("attacks.jsonl");
    CliRun r = run("redteam", "generate", "--seeds", seeds.toString(), "--output", attacks.toString());
    assertThat(r.code()).isZero();
    assertThat(Files.readAllLines(attacks)).hasSize(9);
    Path out = tmp.resolve("redteam.jsonl");
    r = run("redteam", "eval", "--policy", model.toString(), "--attacks", attacks.toString(), "--judge", "lm:" + model,
        "--max-new-tokens", "6", "--output", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("attack success rate");
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("redteam.report.json").toFile());
    assertThat(report.get("attacks").asInt()).isEqualTo(9);
    assertThat(report.get("attack_success_rate").asDouble()).isBetween(0.0, 1.0);
    assertThat(report.at("/by_method/jailbreak").isNumber()).isTrue();
    r = run("redteam", "generate", "--seeds", seeds.toString(), "--templates", seeds.toString(), "--output", attacks.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("expected a non-empty list of templates");
  }
}

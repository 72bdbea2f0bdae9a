package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/** {@code rlhf4j synth pairs|prompts} end to end on llama2.c's stories260K with a fresh reward model. */
class SynthTextCommandsTest {
  @TempDir Path tmp;

  static int run(StringWriter err, String... args) {
    var cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test void pairsAreSoftLabelledByTheRewardModel() throws Exception {
    Path model = Shared.require("fixtures/stories260K"), rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    Path prompts = Files.write(tmp.resolve("p.jsonl"), List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"The cat\"}"));
    StringWriter err = new StringWriter();
    int code = run(err, "synth", "pairs", "--model", model.toString(), "--reward-model", rm.toString(), "--prompts", prompts.toString(),
        "--k", "3", "--max-new-tokens", "16", "--output", tmp.resolve("pairs.jsonl").toString());
    assertThat(code).as(err.toString()).isZero();
    List<PreferencePair> pairs = DataFiles.readPreferences(tmp.resolve("pairs.jsonl"));
    assertThat(pairs).hasSizeBetween(1, 2);
    for (PreferencePair p : pairs) assertThat(p.chosenProbability()).isBetween(0.5, 1.0);
    assertThat(run(new StringWriter(), "synth", "pairs", "--model", model.toString(), "--reward-model", rm.toString(), "--prompts",
        prompts.toString(), "--k", "1", "--output", tmp.resolve("x.jsonl").toString())).isEqualTo(2);
  }

  @Test void promptsAreWrittenAsJsonlAndFiltered() throws Exception {
    Path model = Shared.require("fixtures/stories260K");
    Path seeds = Files.write(tmp.resolve("seeds.txt"), List.of("Once upon a time there was a cat", "Tell me a story about a big tree",
        "The girl went to the park and saw a bird", "Lily and Tom played with a red ball"));
    StringWriter err = new StringWriter();
    int code = run(err, "synth", "prompts", "--model", model.toString(), "--seeds", seeds.toString(), "--count", "4",
        "--max-rounds", "2", "--output", tmp.resolve("out.jsonl").toString());
    assertThat(code).as(err.toString()).isZero();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(tmp.resolve("out.jsonl"))) {
      JsonNode n = json.readTree(line);
      assertThat(n.get("prompt").asText()).hasSizeBetween(8, 300);
    }
    assertThat(run(new StringWriter(), "synth", "prompts", "--model", model.toString(), "--seeds", tmp.resolve("none.txt").toString(),
        "--count", "2", "--output", tmp.resolve("y.jsonl").toString())).isEqualTo(2);
  }

  @Test void preQueryPromptsNeedNoSeedsAndNameTheirFlags() throws Exception {
    Path model = Shared.require("fixtures/stories260K");
    StringWriter err = new StringWriter();
    int code = run(err, "synth", "prompts", "--method", "pre-query", "--model", model.toString(), "--count", "4", "--max-rounds", "1",
        "--max-new-tokens", "12", "--output", tmp.resolve("pq.jsonl").toString());
    assertThat(code).as(err.toString()).isZero();
    for (String line : Files.readAllLines(tmp.resolve("pq.jsonl"))) {
      assertThat(new ObjectMapper().readTree(line).get("prompt").asText().split("\\s+")).hasSizeBetween(2, 64);
    }
    StringWriter bad = new StringWriter();
    assertThat(run(bad, "synth", "prompts", "--method", "pre-query", "--model", model.toString(), "--count", "4", "--min-words", "9",
        "--max-words", "3", "--output", tmp.resolve("z.jsonl").toString())).isEqualTo(2);
    assertThat(bad.toString()).contains("--min-words");
    StringWriter noSeeds = new StringWriter();
    assertThat(run(noSeeds, "synth", "prompts", "--model", model.toString(), "--count", "4", "--output", tmp.resolve("w.jsonl").toString())).isEqualTo(2);
    assertThat(noSeeds.toString()).contains("--seeds");
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/**
 * {@code rlhf4j reward --dp-epsilon} end to end (ε in metrics.jsonl and privacy.json), then {@code rlhf4j mia} on it;
 * {@code rlhf4j dpo --dp-noise} the same way.
 */
class DpRewardCommandTest {
  @TempDir Path tmp;

  @Test void privateRewardModelLogsEpsilonAndWritesItsCard() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    StringBuilder prefs = new StringBuilder();
    for (int i = 0; i < 8; i++) prefs.append("{\"prompt\": \"The cat ").append(i).append("\", \"chosen\": \" is kind.\", \"rejected\": \" is bad.\"}\n");
    Path data = Files.writeString(tmp.resolve("prefs.jsonl"), prefs.toString());
    Path rm = tmp.resolve("rm");
    CliRun r = CliRun.of("reward", "--model", base.toString(), "--data", data.toString(), "--output", rm.toString(), "--max-steps", "3",
        "--batch-size", "2", "--lr", "1e-3", "--dp-epsilon", "8", "--dp-delta", "1e-5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode card = new ObjectMapper().readTree(rm.resolve("privacy.json").toFile());
    assertThat(card.get("epsilon").asDouble()).isCloseTo(8.0, within(0.01));
    assertThat(card.get("sample_rate").asDouble()).isEqualTo(0.25);
    List<String> metrics = Files.readAllLines(rm.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(metrics.get(metrics.size() - 1));
    assertThat(last.get("dp/epsilon").asDouble()).isCloseTo(8.0, within(0.01));

    CliRun mia = CliRun.of("mia", "--model", rm.toString(), "--members", data.toString(), "--non-members", data.toString(), "--json");
    assertThat(mia.code()).as(mia.err()).isZero();
    assertThat(new ObjectMapper().readTree(mia.out()).get("auc").asDouble()).isEqualTo(0.5); // the same pairs on both sides: all ties
    CliRun both = CliRun.of("reward", "--model", base.toString(), "--data", data.toString(), "--output", tmp.resolve("x").toString(),
        "--dp-noise", "1", "--dp-epsilon", "8");
    assertThat(both.err()).contains("give --dp-noise or --dp-epsilon, not both");
  }

  @Test void privateDpoLogsEpsilonAndWritesItsCard() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    StringBuilder prefs = new StringBuilder();
    for (int i = 0; i < 8; i++) prefs.append("{\"prompt\": \"The cat ").append(i).append("\", \"chosen\": \" is kind.\", \"rejected\": \" is bad.\"}\n");
    Path data = Files.writeString(tmp.resolve("prefs.jsonl"), prefs.toString());
    Path out = tmp.resolve("dpo");
    CliRun r = CliRun.of("dpo", "--model", base.toString(), "--data", data.toString(), "--output", out.toString(), "--max-steps", "2",
        "--batch-size", "4", "--lr", "1e-4", "--dp-noise", "1.0", "--dp-clip", "0.5", "--dp-delta", "1e-5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode card = new ObjectMapper().readTree(out.resolve("privacy.json").toFile());
    assertThat(card.get("sample_rate").asDouble()).isEqualTo(0.5);
    assertThat(card.get("clip_norm").asDouble()).isEqualTo(0.5);
    assertThat(card.get("noise_multiplier").asDouble()).isEqualTo(1.0);
    assertThat(card.get("steps").asInt()).isEqualTo(2);
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(metrics.get(metrics.size() - 1));
    assertThat(last.get("dp/epsilon").asDouble()).isCloseTo(card.get("epsilon").asDouble(), within(1e-9)).isPositive();
    assertThat(out.resolve("model.safetensors")).isRegularFile();

    CliRun bco = CliRun.of("dpo", "--model", base.toString(), "--data", data.toString(), "--output", tmp.resolve("bco").toString(),
        "--loss-type", "bco_pair", "--dp-noise", "1");
    assertThat(bco.code()).isEqualTo(2);
    assertThat(bco.err()).contains("--loss-type").contains("bco_pair");
  }
}

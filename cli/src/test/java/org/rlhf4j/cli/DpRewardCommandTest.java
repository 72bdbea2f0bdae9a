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
 * {@code rlhf4j reward --dp-epsilon} end to end (ε in metrics.jsonl and privacy.json; RDP or PRV), then {@code rlhf4j mia}
 * on it; {@code rlhf4j dpo --dp-noise} the same way; {@code rlhf4j mia --policy} on a DPO policy.
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
    assertThat(card.get("accountant").asText()).isEqualTo("rdp");
    List<String> metrics = Files.readAllLines(rm.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(metrics.get(metrics.size() - 1));
    assertThat(last.get("dp/epsilon").asDouble()).isCloseTo(8.0, within(0.01));
    assertThat(last.get("dp/epsilon_rdp").asDouble()).isEqualTo(last.get("dp/epsilon").asDouble());
    assertThat(last.has("dp/epsilon_prv")).isFalse();

    CliRun mia = CliRun.of("mia", "--model", rm.toString(), "--members", data.toString(), "--non-members", data.toString(), "--json");
    assertThat(mia.code()).as(mia.err()).isZero();
    assertThat(new ObjectMapper().readTree(mia.out()).get("auc").asDouble()).isEqualTo(0.5); // the same pairs on both sides: all ties
    CliRun both = CliRun.of("reward", "--model", base.toString(), "--data", data.toString(), "--output", tmp.resolve("x").toString(),
        "--dp-noise", "1", "--dp-epsilon", "8");
    assertThat(both.err()).contains("give --dp-noise or --dp-epsilon, not both");
  }

  @Test void thePrvAccountantSolvesLessNoiseForTheSameEpsilon() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    Path data = Files.writeString(tmp.resolve("prefs.jsonl"), pairs(8));
    Path rdp = tmp.resolve("rm-rdp"), prv = tmp.resolve("rm-prv");
    for (Path out : List.of(rdp, prv)) {
      List<String> args = new java.util.ArrayList<>(List.of("reward", "--model", base.toString(), "--data", data.toString(), "--output",
          out.toString(), "--max-steps", "3", "--batch-size", "2", "--lr", "1e-3", "--dp-epsilon", "8", "--dp-delta", "1e-5"));
      if (out == prv) args.addAll(List.of("--dp-accountant", "prv"));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.code()).as(r.err()).isZero();
    }
    JsonNode card = new ObjectMapper().readTree(prv.resolve("privacy.json").toFile());
    JsonNode rdpCard = new ObjectMapper().readTree(rdp.resolve("privacy.json").toFile());
    assertThat(card.get("accountant").asText()).isEqualTo("prv");
    assertThat(card.get("epsilon").asDouble()).isCloseTo(8.0, within(0.01));
    assertThat(card.get("epsilon_detail").get("upper").asDouble()).isEqualTo(card.get("epsilon").asDouble());
    assertThat(card.get("epsilon_rdp").asDouble()).isGreaterThan(8.01); // RDP charges more for PRV's sigma
    assertThat(card.get("noise_multiplier").asDouble()).isLessThan(rdpCard.get("noise_multiplier").asDouble());
    List<String> metrics = Files.readAllLines(prv.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(metrics.get(metrics.size() - 1));
    assertThat(last.get("dp/epsilon_prv").asDouble()).isEqualTo(card.get("epsilon").asDouble());
    assertThat(last.has("dp/epsilon_rdp")).isFalse();

    CliRun bad = CliRun.of("reward", "--model", base.toString(), "--data", data.toString(), "--output", tmp.resolve("bad").toString(),
        "--dp-noise", "1", "--dp-accountant", "moments");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--dp-accountant must be rdp or prv, got 'moments'");
  }

  @Test void dpoTakesTheAccountantFromItsConfigFile() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    Path data = Files.writeString(tmp.resolve("prefs.jsonl"), pairs(8));
    Path config = Files.writeString(tmp.resolve("dpo.yaml"), "dp_accountant: prv\ndp_noise: 1.0\n");
    Path out = tmp.resolve("dpo-prv");
    CliRun r = CliRun.of("dpo", "--config", config.toString(), "--model", base.toString(), "--data", data.toString(), "--output",
        out.toString(), "--max-steps", "2", "--batch-size", "4", "--lr", "1e-4", "--dp-delta", "1e-5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode card = new ObjectMapper().readTree(out.resolve("privacy.json").toFile());
    assertThat(card.get("accountant").asText()).isEqualTo("prv");
    double prv = org.rlhf4j.privacy.accounting.PrvAccountant.opacus().epsilon(1.0, 0.5, 2, 1e-5);
    assertThat(card.get("epsilon").asDouble()).isCloseTo(prv, within(1e-9));
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertThat(new ObjectMapper().readTree(metrics.get(metrics.size() - 1)).get("dp/epsilon_prv").asDouble()).isCloseTo(prv, within(1e-9));
  }

  @Test void policyMembershipAttacksFindTheDpoTrainingPairs() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    String[] words = {"dog", "cat", "ball", "tree", "sun", "fish", "bird", "car", "cake", "boat", "hat", "box", "moon", "star", "frog",
        "duck", "cow", "pig", "bed", "cup", "book", "door", "toy", "bee", "egg", "bus", "rain", "hill", "park", "milk", "shoe", "bear"};
    StringBuilder in = new StringBuilder(), out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      in.append(pair("Tom saw a " + words[i], words[i + 8], words[i + 16]));
      out.append(pair("Tom saw a " + words[i + 24], words[(i + 20) % 32], words[(i + 28) % 32]));
    }
    Path members = Files.writeString(tmp.resolve("members.jsonl"), in.toString());
    Path nonMembers = Files.writeString(tmp.resolve("non-members.jsonl"), out.toString());
    Path policy = tmp.resolve("dpo");
    CliRun r = CliRun.of("dpo", "--model", base.toString(), "--data", members.toString(), "--output", policy.toString(), "--max-steps", "20",
        "--batch-size", "4", "--lr", "3e-3", "--beta", "0.5");
    assertThat(r.code()).as(r.err()).isZero();
    CliRun mia = CliRun.of("mia", "--policy", policy.toString(), "--reference", base.toString(), "--members", members.toString(),
        "--non-members", nonMembers.toString(), "--json");
    assertThat(mia.code()).as(mia.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(mia.out());
    assertThat(j.get("likelihood_ratio").get("auc").asDouble()).isGreaterThan(0.8); // the trained pairs' margins grew, the others' did not
    assertThat(j.get("loss").get("members").asInt()).isEqualTo(8);
    // DeLong's standard error at 8 + 8 pairs (0 if the attack separates them perfectly): below the AUC's distance from chance.
    assertThat(j.get("likelihood_ratio").get("auc_standard_error").asDouble()).isBetween(0.0, 0.15);
    assertThat(j.get("auc").asDouble()).isEqualTo(j.get("loss").get("auc").asDouble());
    CliRun untrained = CliRun.of("mia", "--policy", base.toString(), "--reference", base.toString(), "--members", members.toString(),
        "--non-members", nonMembers.toString(), "--json");
    assertThat(new ObjectMapper().readTree(untrained.out()).get("likelihood_ratio").get("auc").asDouble()).isEqualTo(0.5); // every ratio 0: ties
    CliRun both = CliRun.of("mia", "--policy", base.toString(), "--model", base.toString(), "--members", members.toString(),
        "--non-members", nonMembers.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give --model (a reward model) or --policy");
  }

  private static String pair(String prompt, String chosen, String rejected) {
    return "{\"prompt\": \"" + prompt + ".\", \"chosen\": \" The " + chosen + " was happy.\", \"rejected\": \" The " + rejected + " was happy.\"}\n";
  }

  private static String pairs(int n) {
    StringBuilder prefs = new StringBuilder();
    for (int i = 0; i < n; i++) prefs.append("{\"prompt\": \"The cat ").append(i).append("\", \"chosen\": \" is kind.\", \"rejected\": \" is bad.\"}\n");
    return prefs.toString();
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

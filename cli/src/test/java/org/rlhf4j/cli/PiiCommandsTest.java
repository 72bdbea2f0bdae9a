package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/** {@code rlhf4j pii eval | scrub} and their one-line errors. */
class PiiCommandsTest {
  @TempDir Path dir;

  @Test void evalPrintsTheMappingAndScoresAsJson() throws Exception {
    Path data = Shared.require("data/pii-presidio/synth_dataset_v2.json");
    CliRun r = CliRun.of("pii", "eval", "--data", data.toString(), "--rules-only", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("texts").asInt()).isEqualTo(1500);
    assertThat(j.at("/mapping/STREET_ADDRESS").asText()).isEqualTo("ADDRESS");
    assertThat(j.at("/unscored_gold/TITLE").asInt()).isEqualTo(92);
    assertThat(j.at("/entities/EMAIL/span/recall").asDouble()).isEqualTo(1.0);
    assertThat(j.at("/entities/IBAN/span/gold_matched").asInt()).isEqualTo(21);
  }

  @Test void scrubMasksAJsonlFileAndRefusesBadModes() throws Exception {
    Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"prompt\":\"card 4111 1111 1111 1111\"}\n{\"prompt\":\"hi\"}\n");
    Path out = dir.resolve("out.jsonl");
    CliRun r = CliRun.of("pii", "scrub", "--in", in.toString(), "--out", out.toString(), "--mode", "mask");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out)).isEqualTo("{\"prompt\":\"card <CREDIT_CARD>\"}\n{\"prompt\":\"hi\"}\n");
    assertThat(r.out()).contains("2 records, 1 with PII");
    CliRun bad = CliRun.of("pii", "scrub", "--in", in.toString(), "--out", out.toString(), "--mode", "blur");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("rlhf4j pii scrub: error: --mode must be mask, hash or drop, got 'blur'");
    Path salt = Files.writeString(dir.resolve("salt"), "tiny");
    CliRun shortSalt = CliRun.of("pii", "scrub", "--in", in.toString(), "--out", out.toString(), "--mode", "hash", "--salt-file", salt.toString());
    assertThat(shortSalt.err()).contains("at least 16 bytes");
    CliRun missing = CliRun.of("pii", "scrub", "--in", dir.resolve("nope.jsonl").toString(), "--out", out.toString(), "--mode", "mask");
    assertThat(missing.err()).contains("--in: no such file");
  }

  @Test void trainingCommandsRejectPersonalDataBeforeLoadingAModel() throws Exception {
    Path data = Files.writeString(dir.resolve("sft.jsonl"),
        "{\"prompt\":\"hi\",\"completion\":\"hello\"}\n{\"prompt\":\"mail me\",\"completion\":\"at jane@example.com\"}\n");
    String[] common = {"sft", "--model", dir.resolve("no-model").toString(), "--data", data.toString(), "--output", dir.resolve("o").toString()};
    CliRun r = CliRun.of(concat(common, "--pii", "reject"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("rlhf4j sft: error: --data: record 2 contains personal data (EMAIL); nothing was loaded "
        + "(--pii reject; --pii redact masks it instead)");
    CliRun bad = CliRun.of(concat(common, "--pii", "maybe"));
    assertThat(bad.err()).contains("--pii must be off, detect, redact or reject, got 'maybe'");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j doctor} on a finished run's metrics.jsonl, and its one-line errors. */
class DoctorCommandTest {
  @TempDir Path dir;

  /** 120 iterations: the learned reward keeps rising, the gold reward peaks at 60 and falls; small wiggles as noise. */
  private Path hackedRun() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int t = 1; t <= 120; t++) {
      double wiggle = 0.02 * Math.sin(t * 1.7);
      double proxy = 0.01 * t + wiggle, gold = (t <= 60 ? 0.4 + 0.005 * t : 0.7 - 0.008 * (t - 60)) + wiggle;
      lines.add(String.format(Locale.ROOT, "{\"step\": %d, \"objective/scores\": %.4f, \"eval/gold_reward\": %.4f, \"objective/kl\": %.4f}",
          t, proxy, gold, 0.05 * Math.sqrt(t)));
    }
    Files.createDirectories(dir.resolve("run"));
    return Files.write(dir.resolve("run/metrics.jsonl"), lines);
  }

  private static CliRun run(String... args) { return CliRun.of(args); }

  @Test void findsRewardHackingInARunFolderAndSaysWhereItStarted() throws Exception {
    hackedRun();
    CliRun r = run("doctor", dir.resolve("run").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("doctor: reward_hacking at step");
    long step = Long.parseLong(r.out().replaceAll("(?s).*reward_hacking at step (\\d+).*", "$1"));
    assertThat(step).as("the gold reward's peak").isBetween(45L, 75L);
  }

  @Test void jsonOutputAndFailOnFlagsForCi() throws Exception {
    Path file = hackedRun();
    CliRun r = run("doctor", file.toString(), "--json", "--fail-on-flags");
    assertThat(r.code()).isEqualTo(3);
    var flags = new ObjectMapper().readTree(r.out()).get("flags");
    assertThat(flags.get(0).get("kind").asText()).isEqualTo("reward_hacking");
    assertThat(flags.get(0).get("explanation").asText()).isNotBlank();
  }

  @Test void healthyRunHasNoFlags() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int t = 1; t <= 60; t++) {
      double w = 0.02 * Math.sin(t * 1.7);
      lines.add(String.format(Locale.ROOT, "{\"step\": %d, \"objective/scores\": %.4f, \"eval/gold_reward\": %.4f}", t, 0.01 * t + w, 0.008 * t + w));
    }
    Path file = Files.write(dir.resolve("ok.jsonl"), lines);
    CliRun r = run("doctor", file.toString(), "--fail-on-flags");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("no flags");
  }

  @Test void badInputIsOneLineError() throws Exception {
    CliRun missing = run("doctor", dir.resolve("nowhere").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).contains("does not exist").doesNotContain("\n").doesNotContain("Exception");
    Files.createDirectories(dir.resolve("empty"));
    assertThat(run("doctor", dir.resolve("empty").toString()).err()).contains("has no metrics.jsonl");
    Path bad = Files.write(dir.resolve("bad.jsonl"), List.of("{\"step\": 1, \"kl\": 0.1}", "{\"step\": 2, kl}"));
    CliRun malformed = run("doctor", bad.toString());
    assertThat(malformed.code()).isEqualTo(2);
    assertThat(malformed.err()).contains("bad.jsonl line 2").contains("malformed JSON");
    assertThat(run("doctor", bad.toString(), "--window", "1").err()).contains("--window");
  }
}

package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunWatchTest {
  @TempDir Path dir;
  private final List<Flag> seen = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final RunWatch.Listener listener = new RunWatch.Listener() {
    @Override public void flag(Flag flag) { seen.add(flag); }
    @Override public void problem(String message) { problems.add(message); }
  };

  private static List<String> lines(SyntheticRun run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    List<Map<String, Double>> rows = run.rows();
    for (int t = 0; t < rows.size(); t++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", t);
      line.putAll(rows.get(t));
      out.add(json.writeValueAsString(line));
    }
    return out;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) Thread.sleep(10);
  }

  @Test
  void flagsArriveWhileTheRunIsStillWritingAndMatchTheFinishedFile() throws Exception {
    var run = SyntheticRun.healthyPpo(3, 400).set("response_repetition", t -> t < 150 ? 0.05 : 0.7, 0.03)
        .set("eval/gold_reward", t -> t < 200 ? 0.1 + 0.5 * t / 200 : 0.6 - 0.4 * (t - 200) / 200, 0.1);
    List<String> lines = lines(run);
    Path file = dir.resolve("metrics.jsonl"); // does not exist yet when the watch starts
    try (RunWatch watch = RunWatch.start(file, DoctorConfig.defaults(), listener, Duration.ofMillis(5))) {
      Thread.sleep(30);
      for (int t = 0; t < 200; t++) append(file, lines.get(t) + "\n");
      await(() -> !seen.isEmpty());
      assertThat(seen).as("repetition flagged before the run ends").extracting(Flag::kind).containsExactly(FlagKind.REPETITION);
      for (int t = 200; t < lines.size() - 1; t++) append(file, lines.get(t) + "\n");
      String last = lines.get(lines.size() - 1);
      append(file, last.substring(0, 10)); // a line half written when a poll happens
      Thread.sleep(30);
      append(file, last.substring(10)); // ... finished, without a newline, just before the run ends
      List<Flag> flags = watch.finish();
      assertThat(flags).isEqualTo(seen).isEqualTo(RunDoctor.examine(file, DoctorConfig.defaults()));
      assertThat(flags).extracting(Flag::kind).contains(FlagKind.REWARD_HACKING);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void malformedLineStopsTheWatchWithOneProblemNamingTheLine() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "{\"step\": 0, \"objective/kl\": 0.1}\n{\"step\": 1, oops}\n{\"step\": 2}\n");
    RunWatch watch = RunWatch.start(file, DoctorConfig.defaults(), listener, Duration.ofMillis(5));
    await(() -> !problems.isEmpty());
    watch.close();
    assertThat(problems).singleElement().asString().contains("metrics.jsonl line 2").contains("malformed JSON");
    assertThat(seen).isEmpty();
  }

  @Test
  void aRewrittenFileIsReadFromTheStart() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "{\"step\": 0, \"objective/kl\": 0.1}\n".repeat(20));
    try (RunWatch watch = RunWatch.start(file, DoctorConfig.defaults(), listener, Duration.ofMillis(5))) {
      Thread.sleep(50);
      Files.writeString(file, "{\"step\": 0, \"objective/kl\": NaN}\n"); // a new run truncated the log
      await(() -> !seen.isEmpty());
      assertThat(watch.finish()).singleElement().satisfies(f -> assertThat(f.kind()).isEqualTo(FlagKind.KL_BLOWUP));
    }
    assertThat(problems).isEmpty();
  }
}

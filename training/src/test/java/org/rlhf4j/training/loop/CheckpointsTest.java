package org.rlhf4j.training.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path tmp;

  private Path fake(String name, boolean complete) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    if (complete) new TrainerState(Checkpoints.stepOf(dir), 1e-3, 7, 42, "", Map.of()).write(dir.resolve(TrainerState.FILE));
    return dir;
  }

  @Test void latestFallsBackToTheNewestCompleteCheckpoint() throws IOException {
    Checkpoints c = new Checkpoints(tmp, 3);
    assertThat(c.latest()).isEmpty();
    fake("checkpoint-5", true);
    fake("checkpoint-20", true);
    fake("checkpoint-30", false); // crashed before trainer_state.json
    fake("checkpoint-x", true);   // not a checkpoint name
    assertThat(c.latest()).contains(tmp.resolve("checkpoint-20"));
    Files.writeString(tmp.resolve("latest"), "checkpoint-5\n");
    assertThat(c.latest()).contains(tmp.resolve("checkpoint-5"));
    Files.writeString(tmp.resolve("latest"), "checkpoint-30\n"); // incomplete target: ignored
    assertThat(c.latest()).contains(tmp.resolve("checkpoint-20"));
  }

  @Test void staleTemporaryDirectoriesAreRemoved() throws IOException {
    fake(".checkpoint-40.tmp", false);
    Files.writeString(tmp.resolve("latest.tmp"), "x");
    fake("checkpoint-5", true);
    new Checkpoints(tmp, 2).cleanStale();
    assertThat(tmp.resolve(".checkpoint-40.tmp")).doesNotExist();
    assertThat(tmp.resolve("latest.tmp")).doesNotExist();
    assertThat(tmp.resolve("checkpoint-5")).isDirectory();
  }

  @Test void malformedTrainerStateNamesTheFile() throws IOException {
    Path dir = fake("checkpoint-5", false);
    Files.writeString(dir.resolve(TrainerState.FILE), "{\"step\": 5, \"lr\": ");
    assertThatThrownBy(() -> TrainerState.read(dir.resolve(TrainerState.FILE)))
        .hasMessageContaining(dir.resolve(TrainerState.FILE).toString()).hasMessageContaining("malformed JSON");
    Files.writeString(dir.resolve(TrainerState.FILE), "{\"step\": 5}");
    assertThatThrownBy(() -> TrainerState.read(dir.resolve(TrainerState.FILE))).hasMessageContaining("\"lr\"");
  }

  @Test void stateRoundTrips() throws IOException {
    TrainerState s = new TrainerState(12, 2.5e-4, 96, 7, "AAEC", Map.of("lr", 1e-3));
    s.write(tmp.resolve("s.json"));
    assertThat(TrainerState.read(tmp.resolve("s.json"))).isEqualTo(s);
  }

  @Test void progressBarAndPlainLinesRun() {
    try (Progress p = new Progress.Bar(0, 10)) {
      p.update(stats(5, 1.0), true);
    }
    var out = new java.io.ByteArrayOutputStream();
    try (Progress p = new Progress.Lines(0, 10, new java.io.PrintStream(out, true))) {
      p.update(stats(3, 2.0), false);
      p.update(stats(5, 1.0), true);
    }
    assertThat(out.toString()).startsWith("step 5/10 (50%) | loss 1.0000 | lr 1.00e-03 | grad_norm 0.500 | 200 tok/s | acc 0.7500 |")
        .contains("eta").doesNotContain("step 3/");
    assertThat(LogWindow.compact(stats(5, 1.0))).isEqualTo("loss 1.0000 lr 1.0e-03");
  }

  private static StepStats stats(int step, double loss) {
    return new StepStats(step, loss, 1e-3, 0.5, 100, Map.of("acc", 0.75), 0.5);
  }
}

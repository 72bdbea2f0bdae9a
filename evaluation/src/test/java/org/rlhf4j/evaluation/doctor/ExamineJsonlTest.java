package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamineJsonlTest {
  @TempDir Path dir;

  @Test
  void fileAndLiveObservationGiveTheSameFlags() throws IOException {
    var run = SyntheticRun.healthyPpo(2, 400)
        .set("eval/gold_reward", t -> t < 200 ? 0.1 + 0.5 * t / 200 : 0.6 - 0.4 * (t - 200) / 200, 0.1)
        .set("response_repetition", t -> t < 300 ? 0.05 : 0.6, 0.03);
    List<Map<String, Double>> rows = run.rows();
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    RunDoctor live = new RunDoctor(DoctorConfig.defaults());
    for (int t = 0; t < rows.size(); t++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", t);
      line.put("note", "text fields are ignored");
      line.putAll(rows.get(t));
      lines.add(json.writeValueAsString(line));
      if (t % 50 == 0) lines.add("");
      live.observe(t, rows.get(t));
    }
    Path file = Files.write(dir.resolve("metrics.jsonl"), lines);
    List<Flag> fromFile = RunDoctor.examine(file, DoctorConfig.defaults());
    assertThat(fromFile).isEqualTo(live.flags());
    assertThat(RunDoctorTest.kinds(fromFile)).containsExactlyInAnyOrder(FlagKind.REWARD_HACKING, FlagKind.REPETITION);
  }

  @Test
  void pythonNanLiteralIsAcceptedAndDiagnosed() throws IOException {
    Path file = Files.write(dir.resolve("metrics.jsonl"), List.of(
        "{\"step\": 0, \"objective/kl\": 0.1}", "{\"step\": 1, \"objective/kl\": NaN}"));
    assertThat(RunDoctor.examine(file, DoctorConfig.defaults())).singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(FlagKind.KL_BLOWUP))
        .satisfies(f -> assertThat(f.step()).isEqualTo(1));
  }

  @Test
  void jacksonNanStringIsReadAsNaN() throws IOException {
    Path file = Files.write(dir.resolve("metrics.jsonl"), List.of(
        "{\"step\": 0, \"loss/value_avg\": 0.1}", "{\"step\": 5, \"loss/value_avg\": \"NaN\", \"tag\": \"x\"}"));
    assertThat(MetricsLog.read(file).column("loss/value_avg")[1]).isNaN();
    assertThat(MetricsLog.read(file).names()).containsExactly("loss/value_avg");
    assertThat(RunDoctor.examine(file, DoctorConfig.defaults())).singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(FlagKind.VALUE_LOSS_EXPLOSION))
        .satisfies(f -> assertThat(f.step()).isEqualTo(5));
  }

  @Test
  void malformedLineIsReportedWithFileAndLine() throws IOException {
    Path file = Files.write(dir.resolve("metrics.jsonl"), List.of(
        "{\"step\": 0, \"loss\": 1.0}", "{\"step\": 1, \"loss\": 0.9}", "{\"step\": 2, \"loss\": "));
    assertThatThrownBy(() -> RunDoctor.examine(file, DoctorConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("line 3").hasMessageContaining("malformed JSON");
  }

  @Test
  void missingOrBadStepIsReported() throws IOException {
    Path noStep = Files.write(dir.resolve("a.jsonl"), List.of("{\"step\": 0}", "{\"loss\": 0.9}"));
    assertThatThrownBy(() -> RunDoctor.examine(noStep, DoctorConfig.defaults()))
        .hasMessageContaining("a.jsonl line 2").hasMessageContaining("step");
    Path textStep = Files.write(dir.resolve("b.jsonl"), List.of("{\"step\": \"one\"}"));
    assertThatThrownBy(() -> RunDoctor.examine(textStep, DoctorConfig.defaults()))
        .hasMessageContaining("b.jsonl line 1").hasMessageContaining("integer");
    Path array = Files.write(dir.resolve("c.jsonl"), List.of("[1, 2]"));
    assertThatThrownBy(() -> RunDoctor.examine(array, DoctorConfig.defaults()))
        .hasMessageContaining("c.jsonl line 1").hasMessageContaining("JSON object");
  }

  @Test
  void missingFileIsReported() {
    Path missing = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> RunDoctor.examine(missing, DoctorConfig.defaults()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope.jsonl");
  }
}

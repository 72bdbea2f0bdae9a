package org.rlhf4j.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.FlagKind;
import org.rlhf4j.evaluation.doctor.MetricsLog;

class RunReportTest {
  @TempDir Path dir;

  @Test void ppoRunGetsItsCurvesFlagsAndLastLine() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int s = 1; s <= 6; s++) {
      lines.add(String.format(Locale.ROOT, "{\"step\": %d, \"loss\": %.2f, \"learning_rate\": 1e-5, \"objective/scores\": %.2f, "
          + "\"objective/kl\": %.3f, \"response_length_mean\": %d}", s * 4, 1.0 / s, 0.1 * s, 0.01 * s, 10 + s));
    }
    Files.write(dir.resolve("metrics.jsonl"), lines);
    Path html = RunReport.write(dir, List.of(new Flag(FlagKind.LENGTH_DRIFT, 16, "responses grow <fast>")));
    String page = Files.readString(html);
    assertThat(page).contains("Loss", "Reward", "KL to the reference and entropy", "Response length", "Learning rate")
        .contains("Run doctor flags", "length_drift", "responses grow &lt;fast&gt;", "Last logged line (step 24)")
        .doesNotContain("Accuracy"); // nothing of it was logged
    assertThat(dir.resolve("chart-05.png")).isRegularFile();
    assertThat(dir.resolve("chart-06.png")).doesNotExist();
  }

  @Test void dpoRunWithoutFlagsSaysSo() {
    MetricsLog log = new MetricsLog(List.of(new MetricsLog.Row(1, java.util.Map.of("loss", 0.69, "rewards/margins", 0.0,
        "rewards/accuracies", 0.5))));
    Report r = RunReport.build("dpo", log, List.of());
    assertThat(r.blocks()).anySatisfy(b -> assertThat(b).isInstanceOf(Block.Section.class)
        .satisfies(s -> assertThat(((Block.Section) s).heading()).isEqualTo("Run doctor")));
    assertThat(r.blocks().stream().filter(b -> b instanceof LineChart).map(b -> ((LineChart) b).title()))
        .containsExactly("Loss", "Reward", "Accuracy");
  }

  @Test void aFolderWithoutMetricsIsRefused() {
    assertThatThrownBy(() -> RunReport.write(dir.resolve("nothing"), List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no metrics.jsonl");
  }
}

package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir Path dir;

  @Test
  void readsColumnsWithGapsAsNaN() throws IOException {
    Path file = Files.write(dir.resolve("metrics.jsonl"), List.of(
        "{\"step\": 0, \"kl\": 0.0, \"loss\": 1.0}", "", "{\"step\": 10, \"loss\": 0.5, \"eval/gold_reward\": 0.3}"));
    MetricsLog log = MetricsLog.read(file);
    assertThat(log.steps()).containsExactly(0, 10);
    assertThat(log.names()).containsExactly("kl", "loss", "eval/gold_reward");
    assertThat(log.column("loss")).containsExactly(1.0, 0.5);
    assertThat(log.column("kl")[1]).isNaN();
    assertThat(log.firstPresent(MetricNames.KL)).isEqualTo("kl");
    assertThat(log.firstPresent(MetricNames.ENTROPY)).isNull();
    assertThat(log.diagnose(DoctorConfig.defaults())).isEmpty();
  }
}

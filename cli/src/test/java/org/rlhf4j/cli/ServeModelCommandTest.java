package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rlhf4j serve-model refuses bad input with one line and exit 2 (the serving itself is tested in serving/). */
class ServeModelCommandTest {
  @TempDir Path tmp;

  @Test void missingModelFolderAndBadLimitsAreUsageErrors() {
    CliRun r = CliRun.of("serve-model", "--model", tmp.resolve("nope").toString(), "--port", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("rlhf4j serve-model: error:", "config.json");
    CliRun b = CliRun.of("serve-model", "--model", tmp.toString(), "--max-batch", "0");
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("--max-batch");
    CliRun m = CliRun.of("serve-model", "--model", tmp.toString(), "--batching", "sideways");
    assertThat(m.code()).isEqualTo(2);
    assertThat(m.err()).contains("--batching must be one of [dynamic, continuous], got 'sideways'");
  }
}

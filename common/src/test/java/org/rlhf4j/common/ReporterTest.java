package org.rlhf4j.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReporterTest {
  @Test void installedReporterReceivesMessagesAndCanBeRestored() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Reporter old = Reporter.set(Reporter.lines(new PrintStream(buf, true, StandardCharsets.UTF_8), false));
    try {
      Reporter.get().info("sft: %d examples -> %d rows", 10, 4);
      Reporter.get().warn("maxLength %d is short", 8);
    } finally {
      Reporter.set(old);
    }
    assertThat(Reporter.get()).isSameAs(old);
    assertThat(buf.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("sft: 10 examples -> 4 rows", "warning: maxLength 8 is short");
  }

  @Test void lineProgressPrintsMilestonesAndTheLastStepOnly() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Reporter r = Reporter.lines(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
    try (Progress p = r.progress("train", 0, 4)) {
      for (int s = 1; s <= 4; s++) p.update(s, "loss " + s, s == 2);
    }
    var lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("train 2/4 (50%) | loss 2 | ");
    assertThat(lines.get(1)).startsWith("train 4/4 (100%) | loss 4 | ").endsWith("eta 0s");
  }

  @Test void silentSaysNothing() {
    Reporter s = Reporter.silent();
    s.info("x");
    try (Progress p = s.progress("t", 0, 1)) {
      p.update(1, "", true);
    }
    assertThat(s.progress("t", 0, 1)).isSameAs(Progress.NONE);
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.ThreadPlan;

class ThreadsFlagTest {
  @TempDir Path dir;

  @Test
  void threadsFlagOnAnyCommandSizesBothPoolsBeforeItRuns() {
    int before = Runtime.threads(), beforeBlas = Runtime.blasThreads();
    try {
      Main.sizePools(Main.commandLine().parseArgs("bench", "--threads", "1,2"));
      assertThat(Runtime.threads()).isEqualTo(1);
      assertThat(Runtime.blasThreads()).isEqualTo(2);
      assertThat(ThreadPlan.current().source()).isEqualTo("--threads=1,2");
      Main.sizePools(Main.commandLine().parseArgs("--threads", "2", "generate", "--help"));
      assertThat(Runtime.threads()).as("help requests leave the pools alone").isEqualTo(1);
    } finally {
      Runtime.threads(before, beforeBlas > 0 ? beforeBlas : java.lang.Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void badThreadCountsAreUsageErrorsNamingTheFlag() {
    CliRun r = CliRun.of("bench", "--threads", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--threads: thread counts must be whole numbers >= 1, got '0'");
  }

  @Test
  void benchCompareNeedsAnExistingFile() throws Exception {
    CliRun r = CliRun.of("bench", "--compare", dir.resolve("missing.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--compare: no such file");
    Path junk = dir.resolve("junk.jsonl");
    Files.writeString(junk, "{not json\n");
    CliRun j = CliRun.of("bench", "--compare", junk.toString());
    assertThat(j.code()).isEqualTo(2);
    assertThat(j.err()).contains(":1: not a JSON line");
  }
}

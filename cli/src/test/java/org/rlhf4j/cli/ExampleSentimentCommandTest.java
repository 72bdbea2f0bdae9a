package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code example sentiment} from the command line: listed under {@code example}, a missing data folder is a usage error. */
class ExampleSentimentCommandTest {
  @TempDir Path tmp;

  @Test void exampleListsSentimentAndAMissingSharedFolderIsAOneLineUsageError() {
    CliRun help = CliRun.of("example");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("sentiment");
    assertThat(CliRun.of("example", "sentiment", "--help").out()).contains("--rm-seed", "--seed", "--dpo-samples");
    CliRun r = CliRun.of("example", "sentiment", "--quick", "--shared", tmp.toString(), "--output", tmp.resolve("out").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("--shared", "fixtures/stories260K");
    CliRun k = CliRun.of("example", "sentiment", "--dpo-samples", "1", "--shared", tmp.toString());
    assertThat(k.code()).isEqualTo(2);
    assertThat(k.err()).contains("--dpo-samples", "got 1");
  }
}

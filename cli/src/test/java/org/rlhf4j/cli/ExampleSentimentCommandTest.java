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
    assertThat(CliRun.of("example", "sentiment", "--help").out()).contains("--rm-seed", "--seed", "--dpo-samples", "--dpo-steps",
        "--dpo-betas", "--ppo-betas");
    CliRun r = CliRun.of("example", "sentiment", "--quick", "--shared", tmp.toString(), "--output", tmp.resolve("out").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("--shared", "fixtures/stories260K");
    CliRun k = CliRun.of("example", "sentiment", "--dpo-samples", "1", "--shared", tmp.toString());
    assertThat(k.code()).isEqualTo(2);
    assertThat(k.err()).contains("--dpo-samples", "got 1");
    CliRun steps = CliRun.of("example", "sentiment", "--dpo-steps", "0", "--shared", tmp.toString());
    assertThat(steps.code()).isEqualTo(2);
    assertThat(steps.err()).contains("--dpo-steps", "got 0");
    CliRun betas = CliRun.of("example", "sentiment", "--ppo-betas", "0.5,-1", "--shared", tmp.toString());
    assertThat(betas.code()).isEqualTo(2);
    assertThat(betas.err()).contains("--ppo-betas", "got -1.0");
  }
}

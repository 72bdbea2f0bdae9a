package org.rlhf4j.demo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rlhf4j.common.Reporter;
import org.junit.jupiter.api.io.TempDir;

class StageDirTest {
  @TempDir Path out;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final Reporter ps = Reporter.lines(new PrintStream(log, true), false);

  @Test
  void sameSettingsResumeOtherSettingsStartAfresh() throws Exception {
    Path dir = out.resolve("sft");
    assertThat(StageDir.prepare(dir, "seed=1", ps)).as("nothing to resume yet").isFalse();
    Files.writeString(dir.resolve("checkpoint-10"), "work");
    assertThat(StageDir.prepare(dir, "seed=1", ps)).isTrue();
    assertThat(dir.resolve("checkpoint-10")).exists();
    assertThat(StageDir.prepare(dir, "seed=2", ps)).as("another run's checkpoints are not reused").isFalse();
    assertThat(dir.resolve("checkpoint-10")).doesNotExist();
    assertThat(log.toString()).contains("other settings");
  }

  @Test
  void unstampedFolderIsClearedFirst() throws Exception {
    Path dir = Files.createDirectories(out.resolve("ppo"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{}");
    assertThat(StageDir.prepare(dir, "k", ps)).isFalse();
    assertThat(dir.resolve("metrics.jsonl")).doesNotExist();
    assertThat(dir.resolve(StageDir.KEY_FILE)).hasContent("k");
  }

  @Test
  void keysChangeWithTheSettingsEachStageDependsOn() {
    DemoConfig a = DemoConfig.quick(out, 1, false), b = a.withPpo(a.ppoIterations() + 1, a.ppoKlCoef(), a.ppoLr());
    for (String stage : new String[] {"pretrain", "sft", "reward", "dpo"}) assertThat(b.stageKey(stage)).isEqualTo(a.stageKey(stage));
    assertThat(b.stageKey("ppo")).isNotEqualTo(a.stageKey("ppo"));
    assertThat(DemoConfig.quick(out, 2, false).stageKey("pretrain")).isNotEqualTo(a.stageKey("pretrain"));
    assertThat(DemoConfig.quick(out, 1, true).stageKey("sft")).isEqualTo(a.stageKey("sft"));
    assertThat(DemoConfig.quick(out, 1, true).stageKey("reward")).isNotEqualTo(a.stageKey("reward"));
  }

  @Test
  void aiFeedbackArmsAreOptInAndGiveTheirOwnWorld() {
    DemoConfig plain = DemoConfig.quick(out, 1, false), arms = plain.withArms(java.util.Set.of("rlaif"));
    assertThat(plain.webFeedback()).as("the default demo has no AI-feedback arm").isFalse();
    assertThat(plain.maxPositions()).isEqualTo(64);
    assertThat(plain.stageKey("pretrain")).as("checkpoints of runs before the arms existed still resume")
        .startsWith("format=2 seed=1 model=");
    assertThat(arms.maxPositions()).isEqualTo(128);
    assertThat(arms.stageKey("pretrain")).as("the web's feedback documents make another base model").isNotEqualTo(plain.stageKey("pretrain"));
    assertThat(arms.withArms(java.util.Set.of("rlaif", "cai")).stageKey("pretrain")).isEqualTo(arms.stageKey("pretrain"));
    assertThat(plain.withArms(java.util.Set.of("flywheel")).stageKey("pretrain")).as("the flywheel reuses the default world's stages")
        .isEqualTo(plain.stageKey("pretrain"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.withArms(java.util.Set.of("rlhf")))
        .hasMessageContaining("unknown demo arm 'rlhf'");
  }
}

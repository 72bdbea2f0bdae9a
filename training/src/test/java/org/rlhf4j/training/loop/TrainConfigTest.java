package org.rlhf4j.training.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.optim.Schedule;

class TrainConfigTest {
  final TrainConfig base = TrainConfig.defaults(Path.of("out"));

  @Test void builderChangesOnlyWhatItIsTold() {
    TrainConfig c = base.toBuilder().lr(1e-3).maxSteps(7).schedule(Schedule.LINEAR).build();
    assertThat(c.lr()).isEqualTo(1e-3);
    assertThat(c.maxSteps()).isEqualTo(7);
    assertThat(c.schedule()).isEqualTo(Schedule.LINEAR);
    assertThat(c.toBuilder().lr(base.lr()).maxSteps(base.maxSteps()).schedule(base.schedule()).build()).isEqualTo(base);
    assertThat(c.toMap()).containsEntry("max_steps", 7).containsEntry("schedule", "linear")
        .containsEntry("output_dir", "out").containsEntry("autocast", "f32");
  }

  @Test void fromMapRoundTripsAndNamesBadKeys() {
    TrainConfig c = base.toBuilder().lr(3e-4).schedule(Schedule.CONSTANT).autocast(DType.BF16).resume(true)
        .seed(7).maxGradNorm(0).lrScale("v_head.", 100).build();
    assertThat(TrainConfig.fromMap(c.toMap(), Path.of("elsewhere"))).isEqualTo(c);
    assertThat(c.lrScales()).containsExactly(java.util.Map.entry("v_head.", 100.0));
    TrainConfig y = TrainConfig.fromMap(java.util.Map.of("lr", "1e-4", "max_steps", "20", "resume", "true"), Path.of("o"));
    assertThat(y.lr()).isEqualTo(1e-4);
    assertThat(y.maxSteps()).isEqualTo(20);
    assertThat(y.resume()).isTrue();
    assertThatThrownBy(() -> TrainConfig.fromMap(java.util.Map.of("learning_rate", 1), Path.of("o")))
        .hasMessageContaining("unknown key 'learning_rate'").hasMessageContaining("min_lr_ratio");
    assertThatThrownBy(() -> TrainConfig.fromMap(java.util.Map.of("max_steps", 2.5), Path.of("o")))
        .hasMessageContaining("'max_steps' must be a whole number");
    assertThatThrownBy(() -> TrainConfig.fromMap(java.util.Map.of("lr", "fast"), Path.of("o")))
        .hasMessageContaining("'lr' must be a number");
    assertThatThrownBy(() -> TrainConfig.fromMap(java.util.Map.of("lr_scales", 100), Path.of("o")))
        .hasMessageContaining("'lr_scales' must be a map of parameter-name prefix to multiplier");
    assertThatThrownBy(() -> TrainConfig.fromMap(java.util.Map.of("lr_scales", java.util.Map.of("v_head.", 0)), Path.of("o")))
        .hasMessageContaining("multipliers > 0");
  }

  @Test void rejectsBadFieldsByName() {
    assertThatThrownBy(() -> base.toBuilder().lr(0).build()).hasMessageContaining("lr");
    assertThatThrownBy(() -> base.toBuilder().maxSteps(0).build()).hasMessageContaining("maxSteps");
    assertThatThrownBy(() -> base.toBuilder().gradAccumulation(0).build()).hasMessageContaining("gradAccumulation");
    assertThatThrownBy(() -> base.toBuilder().betas(1.0, 0.9).build()).hasMessageContaining("beta1");
    assertThatThrownBy(() -> base.toBuilder().autocast(DType.F16).build()).hasMessageContaining("autocast");
    assertThatThrownBy(() -> base.toBuilder().minLrRatio(2).build()).hasMessageContaining("minLrRatio");
    assertThatThrownBy(() -> base.toBuilder().outputDir(null).build()).hasMessageContaining("outputDir");
    assertThatThrownBy(() -> base.toBuilder().keepCheckpoints(0).build()).hasMessageContaining("keepCheckpoints");
  }
}

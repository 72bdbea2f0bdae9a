package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DoctorConfigTest {
  @Test
  void defaultsAreValidAndCopiesChangeOneField() {
    DoctorConfig d = DoctorConfig.defaults();
    assertThat(d.window()).isEqualTo(20);
    assertThat(d.withWindow(4).smoothing()).isEqualTo(4);
    assertThat(d.withMaxKl(3).maxKl()).isEqualTo(3);
  }

  @Test
  void badFieldsAreNamed() {
    assertThatThrownBy(() -> DoctorConfig.defaults().withWindow(2)).hasMessageContaining("window");
    assertThatThrownBy(() -> DoctorConfig.defaults().withMaxKl(-1)).hasMessageContaining("maxKl");
    assertThatThrownBy(() -> new DoctorConfig(20, 5, 4, 3, 0.05, 0.05, 1.5, 1.5, 0.3, 10, 2, 0.25, 10, 0.2, 2, 0.5))
        .hasMessageContaining("lengthShrinkRatio");
    assertThatThrownBy(() -> new DoctorConfig(20, 30, 4, 3, 0.05, 0.05, 1.5, 0.5, 0.3, 10, 2, 0.25, 10, 0.2, 2, 0.5))
        .hasMessageContaining("smoothing");
    assertThatThrownBy(() -> new DoctorConfig(20, 5, Double.NaN, 3, 0.05, 0.05, 1.5, 0.5, 0.3, 10, 2, 0.25, 10, 0.2, 2, 0.5))
        .hasMessageContaining("noiseZ");
  }

  @Test
  void flagRequiresAnExplanation() {
    assertThatThrownBy(() -> new Flag(FlagKind.REPETITION, 3, " ")).hasMessageContaining("explanation");
  }
}

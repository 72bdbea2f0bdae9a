package org.rlhf4j.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test void cosineWithWarmup() {
    LrSchedule s = new LrSchedule(Schedule.COSINE, 1e-3, 0.1, 10, 110);
    assertThat(s.lr(1)).isCloseTo(1e-4, within(1e-12));   // 1/10 of the peak
    assertThat(s.lr(5)).isCloseTo(5e-4, within(1e-12));
    assertThat(s.lr(10)).isCloseTo(1e-3, within(1e-12));  // peak at the end of warmup
    assertThat(s.lr(60)).isCloseTo(1e-4 + 0.9e-3 * 0.5, within(1e-12)); // half way: cos(pi/2) = 0
    assertThat(s.lr(35)).isCloseTo(1e-4 + 0.9e-3 * 0.5 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
    assertThat(s.lr(110)).isCloseTo(1e-4, within(1e-12)); // floor at the last step
    assertThat(s.lr(500)).isCloseTo(1e-4, within(1e-12)); // and after it
  }

  @Test void linearAndConstant() {
    LrSchedule lin = new LrSchedule(Schedule.LINEAR, 2.0, 0.0, 0, 4);
    assertThat(lin.lr(1)).isCloseTo(1.5, within(1e-12));
    assertThat(lin.lr(2)).isCloseTo(1.0, within(1e-12));
    assertThat(lin.lr(4)).isCloseTo(0.0, within(1e-12));
    LrSchedule constant = new LrSchedule(Schedule.CONSTANT, 3e-4, 0.1, 2, 100);
    assertThat(constant.lr(1)).isCloseTo(1.5e-4, within(1e-15));
    assertThat(constant.lr(3)).isEqualTo(3e-4);
    assertThat(constant.lr(100)).isEqualTo(3e-4);
  }

  @Test void rejectsBadInput() {
    assertThatThrownBy(() -> new LrSchedule(Schedule.COSINE, 1e-3, 1.5, 0, 10)).hasMessageContaining("minLrRatio");
    assertThatThrownBy(() -> new LrSchedule(Schedule.COSINE, -1, 0, 0, 10)).hasMessageContaining("peakLr");
    assertThatThrownBy(() -> new LrSchedule(Schedule.COSINE, 1e-3, 0, 0, 10).lr(0)).hasMessageContaining("step");
    assertThatThrownBy(() -> Schedule.parse("exp")).hasMessageContaining("cosine");
    assertThat(Schedule.parse("Cosine")).isEqualTo(Schedule.COSINE);
  }
}

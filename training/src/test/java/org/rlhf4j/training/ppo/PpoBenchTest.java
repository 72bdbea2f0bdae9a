package org.rlhf4j.training.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;

class PpoBenchTest {
  @Test void timesEveryPhaseOfOneIterationWithBf16FrozenModels() {
    PpoBench.Timing t = PpoBench.run(TinyTask.CONFIG, 4, 3, 5, 2, 2, DType.BF16, 0);
    assertThat(t.generation()).isPositive();
    assertThat(t.scoring()).isPositive();
    assertThat(t.forwards()).isPositive();
    assertThat(t.training()).isPositive();
    assertThat(t.generationShare()).isBetween(0.0, 1.0);
    assertThat(t.frozenDtype()).isEqualTo("bf16");
  }
}

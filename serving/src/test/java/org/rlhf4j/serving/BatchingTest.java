package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When waiting requests join a running batch: gathered (a quarter of the batch, or 8 tokens of waiting); never when dynamic. */
class BatchingTest {
  @Test void continuousGathersJoinersAndDynamicNeverJoins() {
    Batching c = Batching.CONTINUOUS;
    assertThat(c.joinNow(0, 4, 100)).as("nobody waiting").isFalse();
    assertThat(c.joinNow(1, 4, 0)).as("1 of 4 = a quarter").isTrue();
    assertThat(c.joinNow(1, 31, 0)).as("1 waiting beside 31").isFalse();
    assertThat(c.joinNow(1, 31, 7)).isFalse();
    assertThat(c.joinNow(1, 31, 8)).as("waited 8 tokens").isTrue();
    assertThat(c.joinNow(8, 31, 0)).as("8 of 31 >= a quarter").isTrue();
    assertThat(c.joinNow(7, 31, 0)).isFalse();
    assertThat(Batching.DYNAMIC.joinNow(32, 1, 1000)).isFalse();
  }

  @Test void modesAreNamedCaseInsensitively() {
    assertThat(Batching.named(" Dynamic")).isEqualTo(Batching.DYNAMIC);
    assertThat(Batching.CONTINUOUS.label()).isEqualTo("continuous");
    assertThatThrownBy(() -> Batching.named("static")).hasMessageContaining("[dynamic, continuous], got 'static'");
  }
}

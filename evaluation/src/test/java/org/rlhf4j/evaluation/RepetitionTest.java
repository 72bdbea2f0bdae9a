package org.rlhf4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepetitionTest {
  @Test
  void countsRepeatsOfEarlierNgrams() {
    assertThat(Repetition.fraction(new int[] {1, 2, 1, 2, 1, 2}, 2)).isEqualTo(0.6); // 5 bigrams, 2 distinct
    assertThat(Repetition.fraction(new int[] {1, 2, 3, 4}, 2)).isZero();
    assertThat(Repetition.fraction(new int[] {7, 7, 7, 7}, 1)).isEqualTo(0.75);
    assertThat(Repetition.fraction(new int[] {1}, 3)).isZero();
    assertThat(Repetition.fraction("the cat the cat the cat", 2)).isEqualTo(0.6);
    assertThat(Repetition.fraction("  ", 2)).isZero();
    assertThat(Repetition.mean(List.of(new int[] {1, 2, 1, 2, 1, 2}, new int[] {1, 2, 3}), 2)).isEqualTo(0.3);
    assertThatThrownBy(() -> Repetition.fraction(new int[] {1}, 0)).hasMessageContaining("n must be");
  }
}

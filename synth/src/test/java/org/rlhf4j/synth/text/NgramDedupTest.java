package org.rlhf4j.synth.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NgramDedupTest {
  @Test void bigramJaccardByHand() {
    // {the cat, cat sat, sat on, on the, the mat} vs {the cat, cat sat, sat on, on a, a mat}: 3 shared of 7
    assertThat(NgramDedup.jaccard(NgramDedup.grams("The cat sat on the mat.", 2), NgramDedup.grams("the cat sat on a mat", 2)))
        .isCloseTo(3.0 / 7, within(1e-12));
  }

  @Test void rejectsNearDuplicatesOnly() {
    NgramDedup d = new NgramDedup(2, 0.4);
    assertThat(d.add("Write a poem about the sea")).isTrue();
    assertThat(d.add("write a poem about the sea!")).isFalse(); // identical after normalisation
    assertThat(d.add("Write a poem about the mountains")).isFalse(); // 4 of 6 bigrams shared: 0.667
    assertThat(d.add("Explain how a bicycle works")).isTrue();
  }
}

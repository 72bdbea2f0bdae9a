package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextStreamTest {
  @Test void heldBackIsTheLongestSuffixThatCouldStartTheStopString() {
    assertThat(TextStream.heldBack("hello wor", "world")).isEqualTo(3);
    assertThat(TextStream.heldBack("hello", "world")).isZero();
    assertThat(TextStream.heldBack("abcab", "abcabd")).isEqualTo(5);
    assertThat(TextStream.heldBack("xx\n", "\n\n")).isEqualTo(1);
    assertThat(TextStream.heldBack("", "ab")).isZero();
  }
}

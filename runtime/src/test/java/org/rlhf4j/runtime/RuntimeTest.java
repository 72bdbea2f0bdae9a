package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuntimeTest {
  @Test
  void threadsSetsLibtorchAndOpenBlasPools() {
    int before = Runtime.threads(), beforeBlas = Runtime.blasThreads();
    try {
      Runtime.threads(1);
      assertThat(Runtime.threads()).isEqualTo(1);
      assertThat(Runtime.blasThreads()).as("OpenBLAS follows libtorch").isEqualTo(1);
      int n = Math.max(2, java.lang.Runtime.getRuntime().availableProcessors());
      Runtime.threads(n);
      assertThat(Runtime.threads()).isEqualTo(n);
      assertThat(Runtime.blasThreads()).isEqualTo(n);
      Runtime.threads(1, n);
      assertThat(Runtime.threads()).isEqualTo(1);
      assertThat(Runtime.blasThreads()).isEqualTo(n);
    } finally {
      Runtime.threads(before, beforeBlas > 0 ? beforeBlas : java.lang.Runtime.getRuntime().availableProcessors());
    }
    assertThatThrownBy(() -> Runtime.threads(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
  }

  @Test
  void singleBlasThreadScopesNestAndRestoreTheCount() {
    int before = Runtime.threads(), beforeBlas = Runtime.blasThreads();
    try {
      Runtime.threads(1, 2);
      try (Runtime.BlasScope outer = Runtime.singleBlasThread()) {
        assertThat(Runtime.blasThreads()).isEqualTo(1);
        try (Runtime.BlasScope inner = Runtime.singleBlasThread()) {
          assertThat(Runtime.blasThreads()).isEqualTo(1);
        }
        assertThat(Runtime.blasThreads()).as("an inner scope leaves the outer one's setting").isEqualTo(1);
        outer.close();
        outer.close(); // a second close changes nothing
      }
      assertThat(Runtime.blasThreads()).isEqualTo(2);
      Runtime.threads(1, 1);
      try (Runtime.BlasScope s = Runtime.singleBlasThread()) {
        assertThat(Runtime.blasThreads()).isEqualTo(1);
      }
      assertThat(Runtime.blasThreads()).isEqualTo(1);
    } finally {
      Runtime.threads(before, beforeBlas > 0 ? beforeBlas : java.lang.Runtime.getRuntime().availableProcessors());
    }
  }
}

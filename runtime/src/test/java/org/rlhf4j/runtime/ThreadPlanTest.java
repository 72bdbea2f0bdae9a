package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThreadPlanTest {
  @Test
  void oneNumberSizesBothPoolsAndTwoSplitThem() {
    ThreadPlan both = ThreadPlan.parse("3", 2, "--threads");
    assertThat(both.torchThreads()).isEqualTo(3);
    assertThat(both.blasThreads()).isEqualTo(3);
    assertThat(both.source()).isEqualTo("--threads=3");
    ThreadPlan split = ThreadPlan.parse(" 1, 2 ", 2, "RLHF4J_THREADS");
    assertThat(split.torchThreads()).isEqualTo(1);
    assertThat(split.blasThreads()).isEqualTo(2);
    assertThat(split.toString()).isEqualTo("libtorch 1 + OpenBLAS 2 threads on 2 cores (RLHF4J_THREADS=1, 2)");
  }

  @Test
  void badValuesNameWhereTheyCameFrom() {
    assertThatThrownBy(() -> ThreadPlan.parse("0", 2, "--threads")).hasMessage("--threads: thread counts must be whole numbers >= 1, got '0'");
    assertThatThrownBy(() -> ThreadPlan.parse("two", 2, "RLHF4J_THREADS")).hasMessageStartingWith("RLHF4J_THREADS: thread counts");
    assertThatThrownBy(() -> ThreadPlan.parse("1,2,3", 2, "--threads")).hasMessageContaining("expected N or TORCH,BLAS");
    assertThatThrownBy(() -> ThreadPlan.fromOpenMp("x", null, 2)).hasMessageStartingWith("OMP_NUM_THREADS:");
  }

  @Test
  void openMpVariablesAreHonouredAndEveryCoreIsTheDefault() {
    ThreadPlan env = ThreadPlan.fromOpenMp("1", null, 4);
    assertThat(env.torchThreads()).isEqualTo(1);
    assertThat(env.blasThreads()).isEqualTo(4);
    assertThat(env.source()).isEqualTo("environment: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=unset");
    ThreadPlan d = ThreadPlan.fromOpenMp(null, " ", 4);
    assertThat(d).isEqualTo(ThreadPlan.defaults(4));
    assertThat(ThreadPlan.resolve("2").source()).isEqualTo("--threads=2");
  }

  @Test
  void applySizesThePoolsAndBecomesCurrent() {
    int before = Runtime.threads(), beforeBlas = Runtime.blasThreads();
    try {
      ThreadPlan p = new ThreadPlan(2, 1, 2, "test").apply();
      assertThat(Runtime.threads()).isEqualTo(1);
      assertThat(Runtime.blasThreads()).isEqualTo(2);
      assertThat(ThreadPlan.current()).isSameAs(p);
      assertThat(p.fields()).containsEntry("torch_threads", 1).containsEntry("blas_threads", 2).containsKey("omp_wait_policy");
    } finally {
      Runtime.threads(before, beforeBlas > 0 ? beforeBlas : java.lang.Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void testsRunWithPassiveWaiting() {
    assertThat(ThreadPlan.passiveWaiting()).as("surefire sets OMP_WAIT_POLICY=PASSIVE").isTrue();
  }
}

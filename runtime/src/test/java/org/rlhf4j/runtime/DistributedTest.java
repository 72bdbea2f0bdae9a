package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** c10d Gloo on loopback, two ranks as two threads of this JVM: mean all-reduce, broadcast, a timeout instead of a hang. */
class DistributedTest {
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static float[] reduced(Distributed d, float[] values) {
    try (NativeScope s = NativeScope.open()) {
      Tensor a = Tensors.floats(values, Device.CPU, 2, 2);            // (2, 2)
      Tensor b = Tensors.floats(new float[] {values[0] * 10}, Device.CPU, 1); // (1)
      d.allReduceMean(List.of(a, b));
      float[] out = new float[5];
      System.arraycopy(Tensors.toFloats(a), 0, out, 0, 4);
      out[4] = Tensors.toFloats(b)[0];
      return out;
    }
  }

  @Test void twoRanksAverageAndBroadcast() throws Exception {
    int port = freePort();
    var r1 = CompletableFuture.supplyAsync(() -> {
      Distributed d = Distributed.join(1, 2, "127.0.0.1", port, 30_000);
      float[] mean = reduced(d, new float[] {3, 5, 7, 9});
      try (NativeScope s = NativeScope.open()) {
        Tensor w = Tensors.floats(new float[] {-1, -1}, Device.CPU, 2);
        d.broadcastFromMain(List.of(w));
        float[] got = Tensors.toFloats(w);
        return new float[][] {mean, got};
      }
    });
    Distributed d0 = Distributed.join(0, 2, "127.0.0.1", port, 30_000);
    float[] mean0 = reduced(d0, new float[] {1, 1, 1, 1});
    try (NativeScope s = NativeScope.open()) {
      d0.broadcastFromMain(List.of(Tensors.floats(new float[] {4, 2}, Device.CPU, 2)));
    }
    float[][] other = r1.get(60, TimeUnit.SECONDS);
    assertThat(mean0).containsExactly(2, 3, 4, 5, 20);
    assertThat(other[0]).containsExactly(mean0);
    assertThat(other[1]).containsExactly(4, 2);
  }

  /**
   * Tensors of 3, 5, 100, 7 and 2 elements, seeded by rank: reduced in 64-byte buckets and in one. The values come from
   * a {@link java.util.Random} of this thread, not libtorch's generator, which both ranks' threads share.
   */
  private static float[][] bucketed(Distributed d, long bytes) {
    try (NativeScope s = NativeScope.open()) {
      java.util.Random random = new java.util.Random(11 + d.rank());
      List<Tensor> ts = new java.util.ArrayList<>();
      for (int n : new int[] {3, 5, 100, 7, 2}) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        ts.add(Tensors.floats(v, Device.CPU, n));
      }
      d.allReduceMean(ts, bytes);
      return ts.stream().map(Tensors::toFloats).toArray(float[][]::new);
    }
  }

  @Test void bucketsAreConsecutiveTensorsUpToTheSizeAndReduceAsOneBucket() throws Exception {
    try (NativeScope s = NativeScope.open()) {
      List<Tensor> ts = new java.util.ArrayList<>();
      for (int n : new int[] {3, 5, 100, 7, 2}) ts.add(Tensors.zeros(DType.F32, Device.CPU, n));
      assertThat(Distributed.buckets(ts, 64).stream().map(b -> b.stream().mapToLong(Tensor::numel).boxed().toList()).toList())
          .isEqualTo(List.of(List.of(3L, 5L), List.of(100L), List.of(7L, 2L)));
      assertThat(Distributed.buckets(ts, 0)).hasSize(1);
    }
    int port = freePort();
    var r1 = CompletableFuture.supplyAsync(() -> {
      Distributed d = Distributed.join(1, 2, "127.0.0.1", port, 30_000);
      return new float[][][] {bucketed(d, 64), bucketed(d, 0)};
    });
    Distributed d0 = Distributed.join(0, 2, "127.0.0.1", port, 30_000);
    float[][] inBuckets = bucketed(d0, 64), inOne = bucketed(d0, 0);
    float[][][] other = r1.get(60, TimeUnit.SECONDS);
    for (int i = 0; i < inOne.length; i++) {
      assertThat(inBuckets[i]).as("tensor " + i).containsExactly(inOne[i]);
      assertThat(other[0][i]).as("rank 1, tensor " + i).containsExactly(inOne[i]);
    }
    assertThat(inOne[2]).as("the ranks' inputs differed").isNotEqualTo(new float[100]);
  }

  @Test void aMissingRankIsAnErrorNamingTheTimeoutNotAHang() throws Exception {
    int port = freePort();
    var r1 = CompletableFuture.supplyAsync(() -> Distributed.join(1, 2, "127.0.0.1", port, 3_000)); // joins, then never reduces
    Distributed d0 = Distributed.join(0, 2, "127.0.0.1", port, 3_000);
    r1.get(60, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> reduced(d0, new float[] {1, 2, 3, 4}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rank 0 of 2").hasMessageContaining("RLHF4J_DIST_TIMEOUT_S");
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds until the error").isLessThan(60);
  }

  @Test void environmentErrorsNameTheVariable() {
    assertThat(Distributed.initFrom(Map.of())).isEmpty();
    assertThatThrownBy(() -> Distributed.initFrom(Map.of("WORLD_SIZE", "2"))).hasMessageContaining("RANK is not set");
    assertThatThrownBy(() -> Distributed.initFrom(Map.of("WORLD_SIZE", "2", "RANK", "x"))).hasMessageContaining("RANK=x");
    assertThatThrownBy(() -> Distributed.initFrom(Map.of("WORLD_SIZE", "2", "RANK", "2"))).hasMessageContaining("RANK 2");
    assertThatThrownBy(() -> Distributed.initFrom(Map.of("WORLD_SIZE", "2", "RANK", "0", "RLHF4J_DIST_BUCKET_MB", "-1")))
        .hasMessageContaining("RLHF4J_DIST_BUCKET_MB=-1");
  }
}

package org.rlhf4j.runtime;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Measured matmul throughput and memory bandwidth of the machine this runs on. */
public final class MatmulProbe {
  private MatmulProbe() {}

  /** A measured rate: {@code n} is the matmul size (n x n x n) or the copied megabytes. */
  public record Rate(DType dtype, int n, double gflops, String note) {}

  /** GFLOP/s of an n x n x n matmul in {@code dtype}, best of {@code reps} timed runs after one warm-up. */
  public static double gflops(DType dtype, Device device, int n, int reps) {
    try (NativeScope s = NativeScope.open()) {
      Tensor a = torch.randn(new long[] {n, n}, Tensors.options(DType.F32, device)).to(dtype.scalarType()); // (n, n)
      Tensor b = torch.randn(new long[] {n, n}, Tensors.options(DType.F32, device)).to(dtype.scalarType()); // (n, n)
      a.matmul(b).sum().item_float();
      double best = Double.MAX_VALUE;
      for (int r = 0; r < reps; r++) {
        try (NativeScope inner = NativeScope.open()) {
          long t0 = System.nanoTime();
          a.matmul(b).sum().item_float(); // item() forces completion on any device
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
      }
      return 2.0 * n * n * (double) n / best / 1e9;
    }
  }

  /**
   * GFLOP/s at the largest size up to {@code maxN} (doubling from 256) whose predicted run time stays within
   * {@code budgetSeconds}: a slow dtype (bf16 emulated on AVX2 runs at ~1 GFLOP/s) is measured on a small matmul
   * instead of hanging on a 2048-cube one.
   */
  public static Rate capped(DType dtype, Device device, int maxN, int reps, double budgetSeconds) {
    int n = Math.min(256, maxN);
    double g = gflops(dtype, device, n, 1);
    while (n * 2 <= maxN && predictedSeconds(2 * n, g, reps) <= budgetSeconds) {
      n *= 2;
      g = gflops(dtype, device, n, n == maxN ? reps : 1);
    }
    String note = n < maxN ? "capped at n=" + n + " (n=" + maxN + " would take ~" + Math.round(predictedSeconds(maxN, g, reps)) + " s)" : "";
    return new Rate(dtype, n, g, note);
  }

  private static double predictedSeconds(int n, double gflops, int reps) {
    return (reps + 1) * 2.0 * n * n * (double) n / (gflops * 1e9);
  }

  /** Copy bandwidth in GB/s (bytes read + written) of a {@code megabytes} float32 buffer, best of {@code reps}. */
  public static double copyGBps(Device device, int megabytes, int reps) {
    try (NativeScope s = NativeScope.open()) {
      long n = megabytes * (1L << 20) / 4;
      Tensor a = torch.rand(new long[] {n}, Tensors.options(DType.F32, device)); // (n)
      Tensor b = torch.empty_like(a);                                            // (n)
      b.copy_(a);
      double best = Double.MAX_VALUE;
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        b.copy_(a);
        b.narrow(0, 0, 1).item_float();
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      return 2.0 * n * 4 / best / 1e9;
    }
  }
}

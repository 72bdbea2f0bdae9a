package org.rlhf4j.cli.bench;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** The machine's measured matmul peak for a dtype: the best of several square matmuls. */
public final class Peak {
  private Peak() {}

  /** GFLOP/s of an n x n x n matmul in {@code dtype}, best of {@code reps} timed runs after warm-up. */
  public static double matmulGflops(DType dtype, Device device, int n, int reps) {
    try (NativeScope s = NativeScope.open()) {
      Tensor a = torch.randn(new long[] {n, n}, Tensors.options(DType.F32, device)).to(dtype.scalarType()); // (n, n)
      Tensor b = torch.randn(new long[] {n, n}, Tensors.options(DType.F32, device)).to(dtype.scalarType()); // (n, n)
      for (int i = 0; i < 2; i++) a.matmul(b);
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
}

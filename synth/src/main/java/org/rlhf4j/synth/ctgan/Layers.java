package org.rlhf4j.synth.ctgan;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/** Parameter initialisation as torch.nn.Linear / BatchNorm1d do it, and the few layer functions the networks share. */
final class Layers {
  private Layers() {}

  /** A Linear(in, out) as {@code <prefix>.weight} (out, in) and {@code <prefix>.bias} (out,): U(-1/sqrt(in), 1/sqrt(in)). */
  static void linear(Map<String, Tensor> p, String prefix, int in, int out, Device d) {
    double bound = 1 / Math.sqrt(in);
    p.put(prefix + ".weight", uniform(bound, d, out, in));
    p.put(prefix + ".bias", uniform(bound, d, out));
  }

  /** A BatchNorm1d(n): {@code <prefix>.weight} ones, {@code <prefix>.bias} zeros. */
  static void batchNorm(Map<String, Tensor> p, String prefix, int n, Device d) {
    p.put(prefix + ".weight", Tensors.ones(DType.F32, d, n).requires_grad_(true));
    p.put(prefix + ".bias", Tensors.zeros(DType.F32, d, n).requires_grad_(true));
  }

  static Tensor applyLinear(Map<String, Tensor> p, String prefix, Tensor x) {
    return torch.linear(x, p.get(prefix + ".weight"), Tensors.opt(p.get(prefix + ".bias")));
  }

  /** Batch normalisation with the batch's own statistics (no running averages: sampling runs in full batches too). */
  static Tensor applyBatchNorm(Map<String, Tensor> p, String prefix, Tensor x) {
    return torch.batch_norm(x, Tensors.opt(p.get(prefix + ".weight")), Tensors.opt(p.get(prefix + ".bias")),
        Tensors.opt(null), Tensors.opt(null), true, 0.1, 1e-5, false);
  }

  private static Tensor uniform(double bound, Device d, long... shape) {
    return torch.rand(shape, Tensors.options(DType.F32, d)).mul_(Tensors.scalar(2 * bound)).sub_(Tensors.scalar(bound))
        .requires_grad_(true);
  }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Single-row float32 matmuls on the CPU (batch-1 decoding) as matrix-vector products. bytedeco's libtorch calls
 * OpenBLAS, whose sgemm packs the whole weight even for one row of input: a (1, 768) x (768, 2304) product ran 4-5x
 * slower through {@code matmul}/{@code linear} than through {@code mv} (sgemv streams the weight once), which is what
 * MKL-backed PyTorch reaches. Inputs with more rows, other dtypes and other devices take the usual path. The sums are
 * the same products in another order: results agree with the matmul path to float32 rounding (~1e-6 relative).
 */
public final class ThinMatmul {
  private ThinMatmul() {}

  private static volatile boolean enabled = !"off".equalsIgnoreCase(System.getenv("RLHF4J_THIN_MATMUL"));

  /** Switches the single-row path on or off for the process (on by default; RLHF4J_THIN_MATMUL=off turns it off). */
  public static void enable(boolean on) { enabled = on; }

  public static boolean enabled() { return enabled; }

  /** y = x W^T + b for W stored [out, in] ({@code torch.nn.Linear}); bias may be null. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    if (!applies(x, weight)) return torch.linear(x, weight, org.rlhf4j.runtime.Tensors.opt(bias)); // (..., out)
    Tensor y = weight.mv(x.reshape(-1));                                                          // (out)
    return shaped(bias == null ? y : y.add(bias), x, weight.size(0));                              // (..., out)
  }

  /** y = x W + b for W stored [in, out] (GPT-2's Conv1D); bias may be null. */
  public static Tensor matmul(Tensor x, Tensor weight, Tensor bias) {
    if (!applies(x, weight)) {
      Tensor y = torch.matmul(x, weight);                                                           // (..., out)
      return bias == null ? y : y.add(bias);
    }
    Tensor y = weight.t().mv(x.reshape(-1));                                                      // (out)
    return shaped(bias == null ? y : y.add(bias), x, weight.size(1));                              // (..., out)
  }

  /** One input row (any leading shape of ones), float32 on the CPU, a 2-D weight. */
  static boolean applies(Tensor x, Tensor weight) {
    return enabled && weight.dim() == 2 && x.dim() >= 1 && x.numel() == x.size(x.dim() - 1) && !x.is_cuda()
        && isFloat(x) && isFloat(weight);
  }

  // bytedeco returns a fresh ScalarType object, so compare the values (as DType.of does), never with ==
  private static boolean isFloat(Tensor t) {
    return t.scalar_type().value == torch.ScalarType.Float.value;
  }

  private static Tensor shaped(Tensor y, Tensor x, long out) {
    long[] shape = x.shape();
    shape[shape.length - 1] = out;
    return y.view(shape);
  }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Tensors;

/** Root-mean-square norm (Llama): x / sqrt(mean(x^2) + eps) * weight, computed in float32. */
public record RmsNorm(Tensor weight, double eps) {
  public Tensor forward(Tensor x) {
    Tensor xf = x.to(torch.ScalarType.Float);                                                        // (..., H)
    return torch.rms_norm(xf, new long[] {weight.size(0)}, Tensors.opt(weight), new DoubleOptional(eps)); // (..., H)
  }
}

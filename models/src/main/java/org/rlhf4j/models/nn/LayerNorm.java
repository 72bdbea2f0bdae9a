package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Tensors;

/** Layer norm over the last dimension with affine weight and bias (GPT-2). */
public record LayerNorm(Tensor weight, Tensor bias, double eps) {
  public Tensor forward(Tensor x) {
    return torch.layer_norm(x, new long[] {weight.size(0)}, Tensors.opt(weight), Tensors.opt(bias), eps, true); // (..., H)
  }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Tensors;

/** y = x W^T + b with W stored [out, in] (torch.nn.Linear layout). */
public record Linear(Tensor weight, Tensor bias) {
  public Tensor forward(Tensor x) {
    return torch.linear(x, weight, Tensors.opt(bias)); // (..., out)
  }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** GPT-2's "Conv1D": y = x W + b with W stored [in, out]. */
public record Conv1D(Tensor weight, Tensor bias) {
  public Tensor forward(Tensor x) {
    return torch.matmul(x, weight).add(bias); // (..., out)
  }
}

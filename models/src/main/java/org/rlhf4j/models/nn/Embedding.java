package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Token (or position) embedding table [num, dim]. */
public record Embedding(Tensor weight) {
  public Tensor forward(Tensor ids) {
    return torch.embedding(weight, ids); // (..., dim)
  }
}

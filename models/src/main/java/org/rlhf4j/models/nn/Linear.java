package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/** y = x W^T + b with W stored [out, in] (torch.nn.Linear layout). */
public record Linear(Tensor weight, Tensor bias) implements Affine {
  @Override public Tensor forward(Tensor x) {
    return ThinMatmul.linear(x, weight, bias); // (..., out); one row: gemv
  }

  @Override public long inFeatures() { return weight.size(1); }
  @Override public long outFeatures() { return weight.size(0); }
  @Override public boolean fanInFanOut() { return false; }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/** GPT-2's "Conv1D": y = x W + b with W stored [in, out]. */
public record Conv1D(Tensor weight, Tensor bias) implements Affine {
  @Override public Tensor forward(Tensor x) {
    return ThinMatmul.matmul(x, weight, bias); // (..., out); one row: gemv
  }

  @Override public long inFeatures() { return weight.size(0); }
  @Override public long outFeatures() { return weight.size(1); }
  @Override public boolean fanInFanOut() { return true; }
}

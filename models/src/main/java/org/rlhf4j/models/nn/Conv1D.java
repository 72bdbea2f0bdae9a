package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/** GPT-2's "Conv1D": y = x W + b with W stored [in, out]; keeps the weight's prepacked copy for decoding. */
public final class Conv1D implements Affine {
  private final Tensor weight, bias;
  private final PackedWeight pack = new PackedWeight();

  public Conv1D(Tensor weight, Tensor bias) {
    if (weight == null) throw new IllegalArgumentException("Conv1D: weight is required");
    this.weight = weight;
    this.bias = bias;
  }

  @Override public Tensor forward(Tensor x) {
    return ThinMatmul.matmul(x, weight, bias, pack); // (..., out); one row: gemv, 2-64 rows: prepacked where faster
  }

  @Override public Tensor weight() { return weight; }
  public Tensor bias() { return bias; }
  @Override public long inFeatures() { return weight.size(0); }
  @Override public long outFeatures() { return weight.size(1); }
  @Override public boolean fanInFanOut() { return true; }
}

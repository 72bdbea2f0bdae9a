package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/** y = x W^T + b with W stored [out, in] (torch.nn.Linear layout); keeps the weight's prepacked copy for decoding. */
public final class Linear implements Affine {
  private final Tensor weight, bias;
  private final PackedWeight pack = new PackedWeight();

  public Linear(Tensor weight, Tensor bias) {
    if (weight == null) throw new IllegalArgumentException("Linear: weight is required");
    this.weight = weight;
    this.bias = bias;
  }

  @Override public Tensor forward(Tensor x) {
    return ThinMatmul.linear(x, weight, bias, pack); // (..., out); one row: gemv, 2-64 rows: prepacked where faster
  }

  @Override public Tensor weight() { return weight; }
  public Tensor bias() { return bias; }
  @Override public long inFeatures() { return weight.size(1); }
  @Override public long outFeatures() { return weight.size(0); }
  @Override public boolean fanInFanOut() { return false; }
}

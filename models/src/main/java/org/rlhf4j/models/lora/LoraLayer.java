package org.rlhf4j.models.lora;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.nn.Projection;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** One projection's adapter: scaling * B A dropout(x), A (r, in) and B (out, r) in float32. */
final class LoraLayer implements Projection.Adapter {
  private final Projection target;
  private final Tensor a; // (r, in)
  private final Tensor b; // (out, r)
  private final double scaling;
  private final double dropout;
  private final LoraModel owner;
  private boolean merged;

  LoraLayer(Projection target, Tensor a, Tensor b, double scaling, double dropout, LoraModel owner) {
    this.target = target;
    this.a = a;
    this.b = b;
    this.scaling = scaling;
    this.dropout = dropout;
    this.owner = owner;
  }

  Projection target() { return target; }
  Tensor a() { return a; }
  Tensor b() { return b; }

  /**
   * Dropout acts while training (gradients recorded, or a checkpointed block's first pass: {@link Backprop#training()}),
   * as PEFT's nn.Dropout in train mode.
   */
  @Override public Tensor delta(Tensor x) {
    if (merged || !owner.enabled()) return null;
    Tensor h = x.to(a.scalar_type());                                  // (..., in)
    if (dropout > 0 && Backprop.training()) h = torch.dropout(h, dropout, true);
    return torch.linear(torch.linear(h, a), b).mul(Tensors.scalar(scaling)); // (..., out)
  }

  /** scaling * B A in the base weight's layout ([in, out] for Conv1D: PEFT's fan_in_fan_out transpose). */
  private Tensor deltaWeight() {
    Tensor d = torch.matmul(b, a).mul(Tensors.scalar(scaling)); // (out, in)
    return target.base().fanInFanOut() ? d.t() : d;
  }

  void merge() {
    if (merged) return;
    apply(1.0);
    merged = true;
  }

  void unmerge() {
    if (!merged) return;
    apply(-1.0);
    merged = false;
  }

  boolean merged() { return merged; }

  private void apply(double sign) {
    Tensor w = target.base().weight();
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      w.add_(deltaWeight().to(w.device(), w.scalar_type()), Tensors.scalar(sign));
    }
  }
}

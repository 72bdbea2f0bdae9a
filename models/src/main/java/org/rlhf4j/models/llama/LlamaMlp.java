package org.rlhf4j.models.llama;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Projection;

/** SwiGLU feed-forward: down(silu(gate(x)) * up(x)). */
final class LlamaMlp {
  private final Projection gate, up, down;

  LlamaMlp(ModelConfig c, Weights w, String p) {
    int h = c.hiddenSize(), i = c.intermediateSize();
    this.gate = w.linear(p + "gate_proj", i, h, false);
    this.up = w.linear(p + "up_proj", i, h, false);
    this.down = w.linear(p + "down_proj", h, i, false);
  }

  Tensor forward(Tensor x) {
    Tensor a = torch.silu(gate.forward(x)).mul(up.forward(x)); // (B, T, I)
    return down.forward(a);                                     // (B, T, C)
  }
}

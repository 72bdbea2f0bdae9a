package org.rlhf4j.models.llama;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Linear;

/** SwiGLU feed-forward: down(silu(gate(x)) * up(x)). */
final class LlamaMlp {
  private final Linear gate, up, down;

  LlamaMlp(ModelConfig c, Weights w, String p) {
    int h = c.hiddenSize(), i = c.intermediateSize();
    this.gate = new Linear(w.take(p + "gate_proj.weight", i, h), null);
    this.up = new Linear(w.take(p + "up_proj.weight", i, h), null);
    this.down = new Linear(w.take(p + "down_proj.weight", h, i), null);
  }

  Tensor forward(Tensor x) {
    Tensor a = torch.silu(gate.forward(x)).mul(up.forward(x)); // (B, T, I)
    return down.forward(a);                                     // (B, T, C)
  }
}

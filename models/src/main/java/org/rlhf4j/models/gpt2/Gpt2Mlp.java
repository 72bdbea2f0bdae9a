package org.rlhf4j.models.gpt2;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Conv1D;

/** GPT-2 feed-forward: proj(gelu_tanh(fc(x))). */
final class Gpt2Mlp {
  private final Conv1D fc, proj;

  Gpt2Mlp(ModelConfig c, Weights w, String p) {
    int h = c.hiddenSize(), i = c.intermediateSize();
    this.fc = new Conv1D(w.take(p + "c_fc.weight", h, i), w.take(p + "c_fc.bias", i));
    this.proj = new Conv1D(w.take(p + "c_proj.weight", i, h), w.take(p + "c_proj.bias", h));
  }

  Tensor forward(Tensor x) {
    return proj.forward(torch.gelu(fc.forward(x), "tanh")); // (B, T, C)
  }
}

package org.rlhf4j.models.gpt2;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Projection;

/** GPT-2 feed-forward: proj(gelu_tanh(fc(x))). */
final class Gpt2Mlp {
  private final Projection fc, proj;

  Gpt2Mlp(ModelConfig c, Weights w, String p) {
    int h = c.hiddenSize(), i = c.intermediateSize();
    this.fc = w.conv1d(p + "c_fc", h, i);
    this.proj = w.conv1d(p + "c_proj", i, h);
  }

  Tensor forward(Tensor x) {
    return proj.forward(torch.gelu(fc.forward(x), "tanh")); // (B, T, C)
  }
}

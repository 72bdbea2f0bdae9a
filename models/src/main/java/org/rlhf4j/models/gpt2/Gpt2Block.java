package org.rlhf4j.models.gpt2;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.AttentionContext;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.LayerNorm;

/** GPT-2 block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
final class Gpt2Block {
  private final LayerNorm ln1, ln2;
  private final Gpt2Attention attention;
  private final Gpt2Mlp mlp;

  Gpt2Block(ModelConfig c, Weights w, int layer) {
    String p = "transformer.h." + layer + ".";
    int h = c.hiddenSize();
    this.ln1 = new LayerNorm(w.take(p + "ln_1.weight", h), w.take(p + "ln_1.bias", h), c.normEps());
    this.attention = new Gpt2Attention(c, w, p + "attn.", layer);
    this.ln2 = new LayerNorm(w.take(p + "ln_2.weight", h), w.take(p + "ln_2.bias", h), c.normEps());
    this.mlp = new Gpt2Mlp(c, w, p + "mlp.");
  }

  Tensor forward(Tensor x, AttentionContext ctx) {
    Tensor h = x.add(attention.forward(ln1.forward(x), ctx)); // (B, T, C)
    return h.add(mlp.forward(ln2.forward(h)));                // (B, T, C)
  }
}

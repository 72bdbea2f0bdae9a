package org.rlhf4j.models.llama;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.AttentionContext;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.RmsNorm;

/** Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x)). */
final class LlamaBlock {
  private final RmsNorm inputNorm, postAttentionNorm;
  private final LlamaAttention attention;
  private final LlamaMlp mlp;

  LlamaBlock(ModelConfig c, Weights w, int layer) {
    String p = "model.layers." + layer + ".";
    this.inputNorm = new RmsNorm(w.take(p + "input_layernorm.weight", c.hiddenSize()), c.normEps());
    this.attention = new LlamaAttention(c, w, p + "self_attn.", layer);
    this.postAttentionNorm = new RmsNorm(w.take(p + "post_attention_layernorm.weight", c.hiddenSize()), c.normEps());
    this.mlp = new LlamaMlp(c, w, p + "mlp.");
  }

  Tensor forward(Tensor x, Tensor cos, Tensor sin, AttentionContext ctx) {
    Tensor h = x.add(attention.forward(inputNorm.forward(x).to(x.scalar_type()), cos, sin, ctx)); // (B, T, C)
    return h.add(mlp.forward(postAttentionNorm.forward(h).to(h.scalar_type())));                 // (B, T, C)
  }
}

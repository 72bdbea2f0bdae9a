package org.rlhf4j.models.gpt2;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.AttentionContext;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.DecodeAttention;
import org.rlhf4j.models.nn.Projection;
import org.rlhf4j.runtime.Tensors;

/** GPT-2 multi-head self-attention with a fused q/k/v projection. */
final class Gpt2Attention {
  private final Projection qkv, proj;
  private final int heads, headDim, layer;

  Gpt2Attention(ModelConfig c, Weights w, String p, int layer) {
    int h = c.hiddenSize();
    this.qkv = w.conv1d(p + "c_attn", h, 3L * h);
    this.proj = w.conv1d(p + "c_proj", h, h);
    this.heads = c.numHeads();
    this.headDim = c.headDim();
    this.layer = layer;
  }

  Tensor forward(Tensor x, AttentionContext ctx) {
    long b = x.size(0), t = x.size(1), c = x.size(2);
    Tensor fused = qkv.forward(x);                                                  // (B, T, 3C)
    Tensor q = fused.narrow(2, 0, c).view(b, t, heads, headDim).transpose(1, 2);    // (B, H, T, D)
    Tensor k = fused.narrow(2, c, c).view(b, t, heads, headDim).transpose(1, 2);    // (B, H, T, D)
    Tensor v = fused.narrow(2, 2 * c, c).view(b, t, heads, headDim).transpose(1, 2); // (B, H, T, D)
    if (ctx.cache() != null) {
      Tensor[] kv = ctx.cache().append(layer, k, v);                                // (B, H, S, D) each
      k = kv[0].to(q.scalar_type());
      v = kv[1].to(q.scalar_type());
    }
    // no mask: causal over a whole chunk; a single new query sees every cached key (is_causal would align top-left)
    Tensor y = t == 1 && DecodeAttention.applies(q, k, v, ctx.mask()) ? DecodeAttention.forward(q, k, v, ctx.mask()) // (B, H, 1, D)
        : torch.scaled_dot_product_attention(q, k, v, Tensors.opt(ctx.mask()), 0.0, ctx.mask() == null && t > 1,
            new DoubleOptional(), false);                                           // (B, H, T, D)
    return proj.forward(y.transpose(1, 2).reshape(b, t, c));                        // (B, T, C)
  }
}

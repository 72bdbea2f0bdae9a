package org.rlhf4j.models.bert;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.nn.LayerNorm;
import org.rlhf4j.models.nn.Linear;

/** Bidirectional multi-head self-attention with its output projection, residual and post-LayerNorm. */
record BertAttention(Linear query, Linear key, Linear value, Linear output, LayerNorm norm, int heads) {
  static BertAttention load(Params p, String prefix, BertConfig c) {
    int h = c.hiddenSize();
    return new BertAttention(
        p.linear(prefix + ".self.query", h, h),
        p.linear(prefix + ".self.key", h, h),
        p.linear(prefix + ".self.value", h, h),
        p.linear(prefix + ".output.dense", h, h),
        p.layerNorm(prefix + ".output.LayerNorm", h, c.layerNormEps()),
        c.numAttentionHeads());
  }

  /** {@code maskBias} is additive: 0 where a key may be attended, a large negative number at padding. */
  Tensor forward(Tensor x, Tensor maskBias) {
    long b = x.size(0), t = x.size(1), h = x.size(2), hd = h / heads;
    Tensor q = split(query.forward(x), b, t, hd);                 // (B, nh, T, hd)
    Tensor k = split(key.forward(x), b, t, hd);                   // (B, nh, T, hd)
    Tensor v = split(value.forward(x), b, t, hd);                 // (B, nh, T, hd)
    Tensor y = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(maskBias),
        0.0, false, new DoubleOptional(), false);                 // (B, nh, T, hd)
    y = y.transpose(1, 2).contiguous().view(b, t, h);             // (B, T, H)
    return norm.forward(x.add(output.forward(y)));                // (B, T, H)
  }

  private Tensor split(Tensor x, long b, long t, long hd) {
    return x.view(b, t, heads, hd).transpose(1, 2);               // (B, nh, T, hd)
  }
}

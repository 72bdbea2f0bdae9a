package org.rlhf4j.models.bert;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.nn.LayerNorm;
import org.rlhf4j.models.nn.Linear;

/** One encoder layer: self-attention block, then GELU MLP with residual and post-LayerNorm. */
record BertLayer(BertAttention attention, Linear intermediate, Linear output, LayerNorm norm) {
  static BertLayer load(Params p, int index, BertConfig c) {
    String prefix = "encoder.layer." + index;
    return new BertLayer(
        BertAttention.load(p, prefix + ".attention", c),
        p.linear(prefix + ".intermediate.dense", c.intermediateSize(), c.hiddenSize()),
        p.linear(prefix + ".output.dense", c.hiddenSize(), c.intermediateSize()),
        p.layerNorm(prefix + ".output.LayerNorm", c.hiddenSize(), c.layerNormEps()));
  }

  Tensor forward(Tensor x, Tensor maskBias) {
    Tensor a = attention.forward(x, maskBias);             // (B, T, H)
    Tensor m = torch.gelu(intermediate.forward(a));         // (B, T, I), exact (erf) GELU
    return norm.forward(a.add(output.forward(m)));          // (B, T, H)
  }
}

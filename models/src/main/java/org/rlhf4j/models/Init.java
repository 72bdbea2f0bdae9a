package org.rlhf4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;

/** Fresh weights for a config, named as the Hugging Face checkpoint would name them. */
final class Init {
  private Init() {}

  static Map<String, Tensor> weights(ModelConfig c, long seed, Device device) {
    Runtime.seed(seed);
    double std = 0.02, resid = std / Math.sqrt(2.0 * c.numLayers());
    Map<String, Tensor> w = new LinkedHashMap<>();
    int h = c.hiddenSize(), i = c.intermediateSize(), q = c.numHeads() * c.headDim(), kv = c.numKvHeads() * c.headDim();
    boolean gpt2 = c.architecture() == ModelConfig.Architecture.GPT2;
    if (gpt2) {
      w.put("transformer.wte.weight", normal(std, device, c.vocabSize(), h));
      w.put("transformer.wpe.weight", normal(0.01, device, c.maxPositions(), h));
      for (int l = 0; l < c.numLayers(); l++) {
        String p = "transformer.h." + l + ".";
        w.put(p + "ln_1.weight", ones(device, h));
        w.put(p + "ln_1.bias", zeros(device, h));
        w.put(p + "attn.c_attn.weight", normal(std, device, h, 3L * h));
        w.put(p + "attn.c_attn.bias", zeros(device, 3L * h));
        w.put(p + "attn.c_proj.weight", normal(resid, device, h, h));
        w.put(p + "attn.c_proj.bias", zeros(device, h));
        w.put(p + "ln_2.weight", ones(device, h));
        w.put(p + "ln_2.bias", zeros(device, h));
        w.put(p + "mlp.c_fc.weight", normal(std, device, h, i));
        w.put(p + "mlp.c_fc.bias", zeros(device, i));
        w.put(p + "mlp.c_proj.weight", normal(resid, device, i, h));
        w.put(p + "mlp.c_proj.bias", zeros(device, h));
      }
      w.put("transformer.ln_f.weight", ones(device, h));
      w.put("transformer.ln_f.bias", zeros(device, h));
    } else {
      w.put("model.embed_tokens.weight", normal(std, device, c.vocabSize(), h));
      for (int l = 0; l < c.numLayers(); l++) {
        String p = "model.layers." + l + ".";
        w.put(p + "input_layernorm.weight", ones(device, h));
        w.put(p + "self_attn.q_proj.weight", normal(std, device, q, h));
        w.put(p + "self_attn.k_proj.weight", normal(std, device, kv, h));
        w.put(p + "self_attn.v_proj.weight", normal(std, device, kv, h));
        if (c.qkvBias()) {
          w.put(p + "self_attn.q_proj.bias", zeros(device, q));
          w.put(p + "self_attn.k_proj.bias", zeros(device, kv));
          w.put(p + "self_attn.v_proj.bias", zeros(device, kv));
        }
        w.put(p + "self_attn.o_proj.weight", normal(resid, device, h, q));
        w.put(p + "post_attention_layernorm.weight", ones(device, h));
        w.put(p + "mlp.gate_proj.weight", normal(std, device, i, h));
        w.put(p + "mlp.up_proj.weight", normal(std, device, i, h));
        w.put(p + "mlp.down_proj.weight", normal(resid, device, h, i));
      }
      w.put("model.norm.weight", ones(device, h));
    }
    if (!c.tieWordEmbeddings()) w.put("lm_head.weight", normal(std, device, c.vocabSize(), h));
    return w;
  }

  private static Tensor normal(double std, Device d, long... shape) {
    return torch.randn(shape, Tensors.options(DType.F32, d)).mul(Tensors.scalar(std));
  }

  private static Tensor ones(Device d, long... shape) { return Tensors.ones(DType.F32, d, shape); }

  private static Tensor zeros(Device d, long... shape) { return Tensors.zeros(DType.F32, d, shape); }
}

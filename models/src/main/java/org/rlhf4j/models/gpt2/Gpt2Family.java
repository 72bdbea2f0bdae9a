package org.rlhf4j.models.gpt2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.Backbone;
import org.rlhf4j.models.ConfigJson;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamily;
import org.rlhf4j.models.ParameterLayout;
import org.rlhf4j.models.Weights;

/** GPT-2: learned positions, LayerNorm, fused q/k/v, Conv1D weights stored [in, out], gelu_new MLP. */
public final class Gpt2Family implements ModelFamily {
  public static final Gpt2Family GPT2 = new Gpt2Family();

  private Gpt2Family() {}

  @Override public String modelType() { return "gpt2"; }
  @Override public String causalLmClass() { return "GPT2LMHeadModel"; }
  @Override public String sequenceClassifierClass() { return "GPT2ForSequenceClassification"; }
  @Override public String toString() { return modelType(); }
  @Override public java.util.List<String> loraTargets() { return java.util.List.of("c_attn"); }

  @Override public void defaults(ModelConfig.Builder b) {
    b.qkvBias(true).tieWordEmbeddings(true).bosTokenId(50256).eosTokenId(50256);
  }

  @Override public void validate(ModelConfig c) {
    if (c.numKvHeads() != c.numHeads() || c.headDim() * c.numHeads() != c.hiddenSize()) {
      throw new IllegalArgumentException("GPT-2 needs n_embd = n_head * head_dim and no grouped-query attention");
    }
    if (!c.qkvBias()) throw new IllegalArgumentException("GPT-2's attention always has biases (qkvBias must be true)");
  }

  @Override public ModelConfig read(ConfigJson j) {
    int h = j.required("n_embd");
    return ModelConfig.builder(this).vocabSize(j.required("vocab_size")).hiddenSize(h).intermediateSize(j.integer("n_inner", 4 * h))
        .numLayers(j.required("n_layer")).numHeads(j.required("n_head")).maxPositions(j.required("n_positions"))
        .normEps(j.decimal("layer_norm_epsilon", 1e-5)).tieWordEmbeddings(j.bool("tie_word_embeddings", true))
        .bosTokenId(j.tokenId("bos_token_id", 50256)).eosTokenId(j.tokenId("eos_token_id", 50256)).build();
  }

  @Override public void write(ModelConfig c, ObjectNode o) {
    o.put("n_embd", c.hiddenSize()).put("n_layer", c.numLayers()).put("n_head", c.numHeads()).put("n_inner", c.intermediateSize())
        .put("n_positions", c.maxPositions()).put("n_ctx", c.maxPositions()).put("activation_function", "gelu_new")
        .put("layer_norm_epsilon", c.normEps());
  }

  /** Hub GPT-2 files have no "transformer." prefix and carry attn.bias / attn.masked_bias buffers. */
  @Override public Map<String, Tensor> canonicalNames(Map<String, Tensor> fromFile) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (var e : fromFile.entrySet()) {
      String k = e.getKey();
      if (k.endsWith(".attn.bias") || k.endsWith(".attn.masked_bias")) continue;
      if (!k.startsWith("transformer.") && !k.startsWith("lm_head.")) k = "transformer." + k;
      out.put(k, e.getValue());
    }
    return out;
  }

  @Override public Backbone backbone(ModelConfig c, Weights w) { return new Gpt2Backbone(c, w); }

  /** Conv1D weights are (in, out); c_proj of attention and MLP write into the residual stream. */
  @Override public void layout(ModelConfig c, ParameterLayout p) {
    int h = c.hiddenSize(), i = c.intermediateSize();
    p.embedding("transformer.wte.weight", ParameterLayout.STD, c.vocabSize(), h);
    p.embedding("transformer.wpe.weight", 0.01, c.maxPositions(), h);
    for (int l = 0; l < c.numLayers(); l++) {
      String s = "transformer.h." + l + ".";
      p.ones(s + "ln_1.weight", h);
      p.zeros(s + "ln_1.bias", h);
      p.weight(s + "attn.c_attn.weight", false, h, 3L * h);
      p.zeros(s + "attn.c_attn.bias", 3L * h);
      p.weight(s + "attn.c_proj.weight", true, h, h);
      p.zeros(s + "attn.c_proj.bias", h);
      p.ones(s + "ln_2.weight", h);
      p.zeros(s + "ln_2.bias", h);
      p.weight(s + "mlp.c_fc.weight", false, h, i);
      p.zeros(s + "mlp.c_fc.bias", i);
      p.weight(s + "mlp.c_proj.weight", true, i, h);
      p.zeros(s + "mlp.c_proj.bias", h);
    }
    p.ones("transformer.ln_f.weight", h);
    p.zeros("transformer.ln_f.bias", h);
  }
}

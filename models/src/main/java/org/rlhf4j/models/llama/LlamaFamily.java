package org.rlhf4j.models.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.rlhf4j.models.Backbone;
import org.rlhf4j.models.ConfigJson;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamily;
import org.rlhf4j.models.ParameterLayout;
import org.rlhf4j.models.Weights;

/**
 * The Llama-style families: RMS norm, rotary positions, grouped-query attention, SwiGLU MLP.
 * Llama (and Mistral's checkpoints without sliding windows) and Qwen2 (always q/k/v biases) differ
 * only in their names and that one flag, so they are two instances of this spec.
 */
public final class LlamaFamily implements ModelFamily {
  public static final LlamaFamily LLAMA = new LlamaFamily("llama", List.of("mistral"), "Llama", false);
  public static final LlamaFamily QWEN2 = new LlamaFamily("qwen2", List.of(), "Qwen2", true);

  private final String modelType;
  private final List<String> aliases;
  private final String classPrefix;
  private final boolean alwaysQkvBias;

  private LlamaFamily(String modelType, List<String> aliases, String classPrefix, boolean alwaysQkvBias) {
    this.modelType = modelType;
    this.aliases = aliases;
    this.classPrefix = classPrefix;
    this.alwaysQkvBias = alwaysQkvBias;
  }

  @Override public String modelType() { return modelType; }
  @Override public List<String> aliases() { return aliases; }
  @Override public String causalLmClass() { return classPrefix + "ForCausalLM"; }
  @Override public String sequenceClassifierClass() { return classPrefix + "ForSequenceClassification"; }
  @Override public String toString() { return modelType; }
  @Override public List<String> loraTargets() { return List.of("q_proj", "v_proj"); }

  @Override public void defaults(ModelConfig.Builder b) { b.qkvBias(alwaysQkvBias); }

  @Override public ModelConfig read(ConfigJson j) {
    int heads = j.required("num_attention_heads");
    return ModelConfig.builder(this).vocabSize(j.required("vocab_size")).hiddenSize(j.required("hidden_size"))
        .intermediateSize(j.required("intermediate_size")).numLayers(j.required("num_hidden_layers")).numHeads(heads)
        .numKvHeads(j.integer("num_key_value_heads", heads)).headDim(j.integer("head_dim", 0))
        .maxPositions(j.integer("max_position_embeddings", 2048)).normEps(j.decimal("rms_norm_eps", 1e-6))
        .ropeTheta(ropeTheta(j)).tieWordEmbeddings(j.bool("tie_word_embeddings", false))
        .qkvBias(alwaysQkvBias || j.bool("attention_bias", false))
        .bosTokenId(j.tokenId("bos_token_id", 1)).eosTokenId(j.tokenId("eos_token_id", 2)).build();
  }

  /** {@code rope_theta}, or transformers 5's {@code rope_parameters.rope_theta}; scaled variants are refused. */
  private static double ropeTheta(ConfigJson j) {
    JsonNode n = j.node();
    if (n.path("rope_scaling").isObject()) throw j.error("rope_scaling is not supported yet (" + n.get("rope_scaling") + ")");
    JsonNode params = n.path("rope_parameters");
    if (params.isObject() && !params.path("rope_type").asText("default").equals("default")) {
      throw j.error("rope_parameters.rope_type '" + params.get("rope_type").asText() + "' is not supported yet (only default)");
    }
    return n.path("rope_theta").isNumber() ? n.get("rope_theta").asDouble() : params.path("rope_theta").asDouble(10000.0);
  }

  @Override public void write(ModelConfig c, ObjectNode o) {
    o.put("hidden_size", c.hiddenSize()).put("intermediate_size", c.intermediateSize()).put("num_hidden_layers", c.numLayers())
        .put("num_attention_heads", c.numHeads()).put("num_key_value_heads", c.numKvHeads()).put("head_dim", c.headDim())
        .put("hidden_act", "silu").put("max_position_embeddings", c.maxPositions()).put("rms_norm_eps", c.normEps())
        .put("rope_theta", c.ropeTheta());
    if (!alwaysQkvBias) o.put("attention_bias", c.qkvBias()).put("mlp_bias", false);
  }

  @Override public Backbone backbone(ModelConfig c, Weights w) { return new LlamaBackbone(c, w); }

  @Override public void layout(ModelConfig c, ParameterLayout p) {
    int h = c.hiddenSize(), i = c.intermediateSize(), q = c.numHeads() * c.headDim(), kv = c.numKvHeads() * c.headDim();
    p.embedding("model.embed_tokens.weight", ParameterLayout.STD, c.vocabSize(), h);
    for (int l = 0; l < c.numLayers(); l++) {
      String s = "model.layers." + l + ".";
      p.ones(s + "input_layernorm.weight", h);
      p.weight(s + "self_attn.q_proj.weight", false, q, h);
      p.weight(s + "self_attn.k_proj.weight", false, kv, h);
      p.weight(s + "self_attn.v_proj.weight", false, kv, h);
      if (c.qkvBias()) {
        p.zeros(s + "self_attn.q_proj.bias", q);
        p.zeros(s + "self_attn.k_proj.bias", kv);
        p.zeros(s + "self_attn.v_proj.bias", kv);
      }
      p.weight(s + "self_attn.o_proj.weight", true, h, q);
      p.ones(s + "post_attention_layernorm.weight", h);
      p.weight(s + "mlp.gate_proj.weight", false, i, h);
      p.weight(s + "mlp.up_proj.weight", false, i, h);
      p.weight(s + "mlp.down_proj.weight", true, h, i);
    }
    p.ones("model.norm.weight", h);
  }
}

package org.rlhf4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.runtime.CheckpointException;

/**
 * A decoder-only transformer's shape, read from (and written back to) a Hugging Face
 * {@code config.json}. One record serves Llama, Qwen2 and GPT-2; {@link Architecture} picks the blocks.
 */
public record ModelConfig(
    Architecture architecture,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int maxPositions,
    double normEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    int bosTokenId,
    int eosTokenId) {

  /** The model families rlhf4j implements. */
  public enum Architecture {
    LLAMA("llama", "LlamaForCausalLM"), QWEN2("qwen2", "Qwen2ForCausalLM"), GPT2("gpt2", "GPT2LMHeadModel");
    final String modelType;
    final String className;
    Architecture(String modelType, String className) { this.modelType = modelType; this.className = className; }
    public String modelType() { return modelType; }
  }

  public ModelConfig {
    if (architecture == null) throw new IllegalArgumentException("architecture is required");
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("head_dim", headDim);
    positive("max_position_embeddings", maxPositions);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
    }
    if (architecture == Architecture.GPT2 && (numKvHeads != numHeads || headDim * numHeads != hiddenSize)) {
      throw new IllegalArgumentException("GPT-2 needs n_embd = n_head * head_dim and no grouped-query attention");
    }
    if (!(normEps > 0)) throw new IllegalArgumentException("norm epsilon must be > 0, got " + normEps);
    if (!(ropeTheta > 0)) throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  /** A small Llama-style config (used by the demo and tests). */
  public static ModelConfig llama(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
    return new ModelConfig(Architecture.LLAMA, vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads,
        maxPositions, 1e-5, 10000.0, true, false, 1, 2);
  }

  public ModelConfig withVocab(int vocab, int bos, int eos) {
    return new ModelConfig(architecture, vocab, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
        maxPositions, normEps, ropeTheta, tieWordEmbeddings, qkvBias, bos, eos);
  }

  /** Parameter count (embeddings included; a tied head counted once). */
  public long parameterCount() {
    long h = hiddenSize, kv = (long) numKvHeads * headDim, q = (long) numHeads * headDim;
    long perLayer;
    if (architecture == Architecture.GPT2) {
      perLayer = h * 3 * h + 3 * h + h * h + h + 2 * h * intermediateSize + intermediateSize + h + 4 * h;
    } else {
      perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h + (qkvBias ? q + 2 * kv : 0);
    }
    long emb = (long) vocabSize * h + (architecture == Architecture.GPT2 ? (long) maxPositions * h : 0);
    long head = tieWordEmbeddings ? 0 : (long) vocabSize * h;
    return emb + numLayers * perLayer + head + (architecture == Architecture.GPT2 ? 2 * h : h);
  }

  public static ModelConfig read(Path dir) {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) throw new CheckpointException(dir + ": no config.json (is this a Hugging Face model folder?)");
    try {
      return fromJson(new ObjectMapper().readTree(file.toFile()), file);
    } catch (IOException e) {
      throw new CheckpointException(file + ": malformed JSON: " + e.getMessage(), e);
    }
  }

  static ModelConfig fromJson(JsonNode n, Path file) {
    String type = n.path("model_type").asText("");
    Architecture arch = switch (type) {
      case "llama", "mistral" -> Architecture.LLAMA;
      case "qwen2" -> Architecture.QWEN2;
      case "gpt2" -> Architecture.GPT2;
      default -> throw new CheckpointException(file + ": unsupported model_type '" + type + "' (supported: llama, qwen2, gpt2)");
    };
    try {
      if (arch == Architecture.GPT2) {
        int h = req(n, "n_embd", file), heads = req(n, "n_head", file);
        int inner = n.path("n_inner").isNumber() ? n.get("n_inner").asInt() : 4 * h;
        return new ModelConfig(arch, req(n, "vocab_size", file), h, inner, req(n, "n_layer", file), heads, heads, h / heads,
            req(n, "n_positions", file), n.path("layer_norm_epsilon").asDouble(1e-5), 10000.0,
            n.path("tie_word_embeddings").asBoolean(true), true, n.path("bos_token_id").asInt(50256), eosId(n, 50256));
      }
      int h = req(n, "hidden_size", file), heads = req(n, "num_attention_heads", file);
      int kv = n.path("num_key_value_heads").isNumber() ? n.get("num_key_value_heads").asInt() : heads;
      int headDim = n.path("head_dim").isNumber() ? n.get("head_dim").asInt() : h / heads;
      boolean bias = arch == Architecture.QWEN2 || n.path("attention_bias").asBoolean(false);
      if (n.path("rope_scaling").isObject()) {
        throw new CheckpointException(file + ": rope_scaling is not supported yet (" + n.get("rope_scaling") + ")");
      }
      return new ModelConfig(arch, req(n, "vocab_size", file), h, req(n, "intermediate_size", file),
          req(n, "num_hidden_layers", file), heads, kv, headDim, n.path("max_position_embeddings").asInt(2048),
          n.path("rms_norm_eps").asDouble(1e-6), n.path("rope_theta").asDouble(10000.0),
          n.path("tie_word_embeddings").asBoolean(false), bias, n.path("bos_token_id").asInt(1), eosId(n, 2));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  private static int eosId(JsonNode n, int dflt) {
    JsonNode e = n.path("eos_token_id");
    if (e.isArray() && e.size() > 0) return e.get(0).asInt();
    return e.isNumber() ? e.asInt() : dflt;
  }

  private static int req(JsonNode n, String field, Path file) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) throw new CheckpointException(file + ": missing numeric field \"" + field + "\"");
    return v.asInt();
  }

  /** The Hugging Face config.json for this model. */
  public ObjectNode toJson(String torchDtype) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.putArray("architectures").add(architecture.className);
    o.put("model_type", architecture.modelType);
    o.put("vocab_size", vocabSize);
    if (architecture == Architecture.GPT2) {
      o.put("n_embd", hiddenSize).put("n_layer", numLayers).put("n_head", numHeads).put("n_inner", intermediateSize)
          .put("n_positions", maxPositions).put("n_ctx", maxPositions).put("activation_function", "gelu_new")
          .put("layer_norm_epsilon", normEps);
    } else {
      o.put("hidden_size", hiddenSize).put("intermediate_size", intermediateSize).put("num_hidden_layers", numLayers)
          .put("num_attention_heads", numHeads).put("num_key_value_heads", numKvHeads).put("head_dim", headDim)
          .put("hidden_act", "silu").put("max_position_embeddings", maxPositions).put("rms_norm_eps", normEps)
          .put("rope_theta", ropeTheta);
      if (architecture == Architecture.LLAMA) o.put("attention_bias", qkvBias).put("mlp_bias", false);
    }
    o.put("tie_word_embeddings", tieWordEmbeddings).put("bos_token_id", bosTokenId).put("eos_token_id", eosTokenId)
        .put("torch_dtype", torchDtype).put("transformers_version", "4.41.0");
    return o;
  }
}

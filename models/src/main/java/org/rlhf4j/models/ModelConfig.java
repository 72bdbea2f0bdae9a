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
 * {@code config.json}. One record serves every {@link ModelFamily}; the family reads and writes its
 * own fields and builds its blocks. Build one with {@link #builder(ModelFamily)}.
 */
public record ModelConfig(
    ModelFamily family,
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates the shared fields, then lets the family check its own. Prefer {@link #builder(ModelFamily)}. */
  public ModelConfig(ModelFamily family, int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
      int numKvHeads, int headDim, int maxPositions, double normEps, double ropeTheta, boolean tieWordEmbeddings,
      boolean qkvBias, int bosTokenId, int eosTokenId) {
    if (family == null) throw new IllegalArgumentException("model family is required");
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
    if (!(normEps > 0)) throw new IllegalArgumentException("norm epsilon must be > 0, got " + normEps);
    if (!(ropeTheta > 0)) throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
    this.family = family;
    this.vocabSize = vocabSize;
    this.hiddenSize = hiddenSize;
    this.intermediateSize = intermediateSize;
    this.numLayers = numLayers;
    this.numHeads = numHeads;
    this.numKvHeads = numKvHeads;
    this.headDim = headDim;
    this.maxPositions = maxPositions;
    this.normEps = normEps;
    this.ropeTheta = ropeTheta;
    this.tieWordEmbeddings = tieWordEmbeddings;
    this.qkvBias = qkvBias;
    this.bosTokenId = bosTokenId;
    this.eosTokenId = eosTokenId;
    family.validate(this);
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  /** A builder starting from the family's defaults. */
  public static Builder builder(ModelFamily family) { return new Builder(family); }

  public Builder toBuilder() { return new Builder(this); }

  /** A small Llama-style config with tied embeddings (used by the demo and tests). */
  public static ModelConfig llama(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
    return builder(ModelFamilies.LLAMA).vocabSize(vocab).hiddenSize(hidden).intermediateSize(intermediate).numLayers(layers)
        .numHeads(heads).numKvHeads(kvHeads).maxPositions(maxPositions).tieWordEmbeddings(true).build();
  }

  public ModelConfig withVocab(int vocab, int bos, int eos) {
    return toBuilder().vocabSize(vocab).bosTokenId(bos).eosTokenId(eos).build();
  }

  /** Parameter count (embeddings included; a tied head counted once), from the family's declared layout. */
  public long parameterCount() {
    return ParameterCount.of(this).total() + (tieWordEmbeddings ? 0 : (long) vocabSize * hiddenSize);
  }

  /** Weights every token is multiplied by: each layer's matmul weights plus the LM head (tied or not). */
  public long matmulParameterCount() { return ParameterCount.of(this).matmul() + (long) vocabSize * hiddenSize; }

  public static ModelConfig read(Path dir) {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) throw new CheckpointException(dir + ": no config.json (is this a Hugging Face model folder?)");
    try {
      return fromJson(JSON.readTree(file.toFile()), file);
    } catch (IOException e) {
      throw new CheckpointException(file + ": malformed JSON: " + e.getMessage(), e);
    }
  }

  static ModelConfig fromJson(JsonNode n, Path file) {
    ConfigJson json = new ConfigJson(n, file);
    ModelFamily family = ModelFamilies.of(json);
    try {
      return family.read(json);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  /** The Hugging Face config.json for this model. */
  public ObjectNode toJson(String torchDtype) {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("architectures").add(family.causalLmClass());
    o.put("model_type", family.modelType());
    o.put("vocab_size", vocabSize);
    family.write(this, o);
    o.put("tie_word_embeddings", tieWordEmbeddings).put("bos_token_id", bosTokenId).put("eos_token_id", eosTokenId)
        .put("torch_dtype", torchDtype).put("transformers_version", "4.41.0");
    return o;
  }

  /**
   * Builds a {@link ModelConfig}. Unset {@code numKvHeads} means no grouped-query attention, unset
   * {@code headDim} means hiddenSize / numHeads; norm epsilon 1e-5, rope theta 1e4, untied, no q/k/v
   * bias, bos 1, eos 2 unless the family's defaults say otherwise.
   */
  public static final class Builder {
    private final ModelFamily family;
    private int vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, maxPositions;
    private double normEps = 1e-5, ropeTheta = 1e4;
    private boolean tieWordEmbeddings, qkvBias;
    private int bosTokenId = 1, eosTokenId = 2;

    private Builder(ModelFamily family) {
      if (family == null) throw new IllegalArgumentException("model family is required");
      this.family = family;
      family.defaults(this);
    }

    private Builder(ModelConfig c) {
      this.family = c.family;
      vocabSize = c.vocabSize; hiddenSize = c.hiddenSize; intermediateSize = c.intermediateSize; numLayers = c.numLayers;
      numHeads = c.numHeads; numKvHeads = c.numKvHeads; headDim = c.headDim; maxPositions = c.maxPositions;
      normEps = c.normEps; ropeTheta = c.ropeTheta; tieWordEmbeddings = c.tieWordEmbeddings; qkvBias = c.qkvBias;
      bosTokenId = c.bosTokenId; eosTokenId = c.eosTokenId;
    }

    public Builder vocabSize(int v) { vocabSize = v; return this; }
    public Builder hiddenSize(int v) { hiddenSize = v; return this; }
    public Builder intermediateSize(int v) { intermediateSize = v; return this; }
    public Builder numLayers(int v) { numLayers = v; return this; }
    public Builder numHeads(int v) { numHeads = v; return this; }
    public Builder numKvHeads(int v) { numKvHeads = v; return this; }
    public Builder headDim(int v) { headDim = v; return this; }
    public Builder maxPositions(int v) { maxPositions = v; return this; }
    public Builder normEps(double v) { normEps = v; return this; }
    public Builder ropeTheta(double v) { ropeTheta = v; return this; }
    public Builder tieWordEmbeddings(boolean v) { tieWordEmbeddings = v; return this; }
    public Builder qkvBias(boolean v) { qkvBias = v; return this; }
    public Builder bosTokenId(int v) { bosTokenId = v; return this; }
    public Builder eosTokenId(int v) { eosTokenId = v; return this; }

    public ModelConfig build() {
      int kv = numKvHeads > 0 ? numKvHeads : numHeads;
      int hd = headDim > 0 ? headDim : numHeads > 0 ? hiddenSize / numHeads : 0;
      return new ModelConfig(family, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, kv, hd, maxPositions,
          normEps, ropeTheta, tieWordEmbeddings, qkvBias, bosTokenId, eosTokenId);
    }
  }
}

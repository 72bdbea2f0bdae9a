package org.rlhf4j.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The standard Hugging Face BERT {@code config.json} fields an encoder needs. */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
    int intermediateSize, int maxPositionEmbeddings, int typeVocabSize, double layerNormEps, String hiddenAct) {

  /** sentence-transformers/all-MiniLM-L6-v2. */
  public static final BertConfig MINI_LM_L6 = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu");

  public BertConfig {
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("intermediate_size", intermediateSize);
    positive("max_position_embeddings", maxPositionEmbeddings);
    positive("type_vocab_size", typeVocabSize);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (!(layerNormEps > 0)) throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
    if (!"gelu".equals(hiddenAct)) {
      throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported (only \"gelu\")");
    }
  }

  private static void positive(String field, int v) {
    if (v <= 0) throw new IllegalArgumentException(field + " must be > 0, got " + v);
  }

  public int headDim() { return hiddenSize / numAttentionHeads; }

  /** Reads a BERT {@code config.json}; missing or malformed fields are errors naming the file and field. */
  public static BertConfig fromJson(Path file) {
    JsonNode c;
    try {
      c = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read BERT config " + file + ": " + e.getMessage(), e);
    }
    try {
      return new BertConfig(integer(c, "vocab_size"), integer(c, "hidden_size"), integer(c, "num_hidden_layers"),
          integer(c, "num_attention_heads"), integer(c, "intermediate_size"), integer(c, "max_position_embeddings"),
          c.path("type_vocab_size").asInt(2), c.path("layer_norm_eps").asDouble(1e-12), c.path("hidden_act").asText("gelu"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the Hugging Face {@code config.json} for this config (model_type "bert"). */
  public void writeJson(Path file) {
    var node = toJson();
    node.putArray("architectures").add("BertModel");
    try {
      Files.writeString(file, node.toPrettyString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The Hugging Face config.json fields of this config (model_type "bert"), without "architectures". */
  public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
    return new ObjectMapper().createObjectNode()
        .put("model_type", "bert").put("vocab_size", vocabSize).put("hidden_size", hiddenSize)
        .put("num_hidden_layers", numHiddenLayers).put("num_attention_heads", numAttentionHeads)
        .put("intermediate_size", intermediateSize).put("max_position_embeddings", maxPositionEmbeddings)
        .put("type_vocab_size", typeVocabSize).put("layer_norm_eps", layerNormEps).put("hidden_act", hiddenAct);
  }

  private static int integer(JsonNode c, String field) {
    JsonNode v = c.get(field);
    if (v == null || !v.canConvertToInt()) throw new IllegalArgumentException("missing or non-integer field " + field);
    return v.asInt();
  }
}

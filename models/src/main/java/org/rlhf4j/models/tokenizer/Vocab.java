package org.rlhf4j.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/** Token text ↔ id, read from a {@code tokenizer.json}'s model vocabulary plus its added tokens. */
final class Vocab {
  private final Map<String, Integer> ids;
  private final String[] tokens;

  private Vocab(Map<String, Integer> ids) {
    this.ids = Map.copyOf(ids);
    int max = -1;
    for (int id : ids.values()) max = Math.max(max, id);
    this.tokens = new String[max + 1];
    ids.forEach((t, id) -> tokens[id] = t);
  }

  /** Reads {@code model.vocab} (object for BPE/WordPiece/WordLevel, [piece, score] list for Unigram) and {@code added_tokens}. */
  static Vocab of(JsonNode tokenizerJson, Path file) {
    Map<String, Integer> ids = new HashMap<>();
    JsonNode vocab = tokenizerJson.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ids.put(e.getKey(), checkedId(e.getValue(), file));
      }
    } else if (vocab.isArray()) {
      for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i).path(0).asText(), i);
    } else {
      throw new IllegalArgumentException(file + ": no model.vocab (expected an object or a list)");
    }
    for (JsonNode added : tokenizerJson.path("added_tokens")) {
      ids.put(added.path("content").asText(), checkedId(added.path("id"), file));
    }
    if (ids.isEmpty()) throw new IllegalArgumentException(file + ": the vocabulary is empty");
    return new Vocab(ids);
  }

  private static int checkedId(JsonNode v, Path file) {
    if (!v.canConvertToInt() || v.asInt() < 0) {
      throw new IllegalArgumentException(file + ": bad token id " + v);
    }
    return v.asInt();
  }

  /** Highest id + 1 (what {@code len(tokenizer)} reports in Hugging Face). */
  int size() { return tokens.length; }

  OptionalInt id(String token) {
    Integer id = token == null ? null : ids.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  String token(int id) {
    if (id < 0 || id >= tokens.length || tokens[id] == null) {
      throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + tokens.length + ")");
    }
    return tokens[id];
  }
}

package org.rlhf4j.models.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the small JSON files of a Hugging Face model folder with errors that name the file. */
final class JsonFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFiles() {}

  /** Parses {@code file}; a missing file or malformed JSON is an error naming the file (and line). */
  static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("missing tokenizer file " + file);
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new IllegalArgumentException("malformed JSON in " + file + (line > 0 ? " at line " + line : "")
          + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses {@code file} when it exists. */
  static Optional<JsonNode> readIfPresent(Path file) {
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /**
   * A special-token field: a plain string, an AddedToken object {@code {"content": ...}}, or
   * null/absent (returns null).
   */
  static String tokenText(JsonNode node, Path file, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (v.isTextual()) return v.asText();
    if (v.isObject() && v.path("content").isTextual()) return v.get("content").asText();
    throw new IllegalArgumentException(file + ": field '" + field
        + "' must be a string or an object with a string \"content\", got " + v);
  }
}

package org.rlhf4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.rlhf4j.runtime.CheckpointException;

/** A {@code config.json} being read: typed field access whose errors name the file and the field. */
public final class ConfigJson {
  private final JsonNode node;
  private final Path file;

  public ConfigJson(JsonNode node, Path file) {
    this.node = node;
    this.file = file;
  }

  public JsonNode node() { return node; }
  public Path file() { return file; }

  /** A required integer field. */
  public int required(String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) throw error("missing numeric field \"" + field + "\"");
    return v.asInt();
  }

  /** An integer field, or {@code dflt} when absent or null. */
  public int integer(String field, int dflt) { return node.path(field).isNumber() ? node.get(field).asInt() : dflt; }

  public double decimal(String field, double dflt) { return node.path(field).asDouble(dflt); }

  public boolean bool(String field, boolean dflt) { return node.path(field).asBoolean(dflt); }

  public String text(String field, String dflt) { return node.path(field).asText(dflt); }

  /** A token id field that may be a list (the first id counts), e.g. {@code eos_token_id: [2, 32000]}. */
  public int tokenId(String field, int dflt) {
    JsonNode e = node.path(field);
    if (e.isArray() && e.size() > 0) return e.get(0).asInt();
    return e.isNumber() ? e.asInt() : dflt;
  }

  /** {@code architectures[0]}, or "" when absent. */
  public String firstArchitecture() {
    JsonNode a = node.path("architectures");
    return a.isArray() && a.size() > 0 ? a.get(0).asText("") : "";
  }

  /** An error about this file. */
  public CheckpointException error(String message) { return new CheckpointException(file + ": " + message); }
}

package org.rlhf4j.aifeedback.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/** Reading a judge's or grader's template file (YAML/JSON): the tree, its keys checked, its string fields. Errors name the source. */
final class TemplateYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TemplateYaml() {}

  /** A built-in template next to {@code owner}. */
  static JsonNode resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in " + name, e);
    }
  }

  /** A template file; {@code what} names it in the I/O error ("judge template"). */
  static JsonNode file(Path file, String what) {
    try {
      return YAML.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": malformed YAML/JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** The mapping with a string 'template' and no key outside {@code keys}; returns the template text. */
  static String template(JsonNode root, Set<String> keys, String source) {
    if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": expected a mapping with a 'template'");
    root.fieldNames().forEachRemaining(k -> {
      if (!keys.contains(k)) throw new IllegalArgumentException(source + ": unknown key '" + k + "' (known: " + keys + ")");
    });
    JsonNode t = root.get("template");
    if (t == null || !t.isTextual()) throw new IllegalArgumentException(source + ": 'template' must be a string");
    return t.textValue();
  }

  /** An optional string field (null when absent). */
  static String text(JsonNode root, String key, String source) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(source + ": '" + key + "' must be a string");
    return v.textValue();
  }

  /** The optional 'chat' flag (default true). */
  static boolean chat(JsonNode root, String source) {
    JsonNode v = root.get("chat");
    if (v == null) return true;
    if (!v.isBoolean()) throw new IllegalArgumentException(source + ": 'chat' must be true or false");
    return v.booleanValue();
  }
}

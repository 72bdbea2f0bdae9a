package org.rlhf4j.synth.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The small YAML file that overrides what {@link CsvReader} infers. Every key is optional:
 *
 * <pre>
 * header: false                 # the CSV has no header line: columns below are listed in file order
 * comment: "|"                  # lines starting with this character are skipped
 * missing: ["?", ""]            # tokens read as missing (default: "", ?, NA, NaN, nan, null, NULL)
 * columns:
 *   age: {type: numeric, integer: true, min: 17, max: 90}
 *   workclass: {type: categorical}
 *   income: {type: categorical, replace: {"&lt;=50K.": "&lt;=50K", "&gt;50K.": "&gt;50K"}}
 * </pre>
 */
public record SchemaFile(CsvLayout layout, Map<String, ColumnOverride> columns) {
  /** What the file says about one column; null fields are left to inference. */
  public record ColumnOverride(String type, Boolean integer, Double min, Double max) {
    public ColumnOverride {
      if (type != null && !type.equals("numeric") && !type.equals("categorical")) {
        throw new IllegalArgumentException("type '" + type + "' is neither numeric nor categorical");
      }
    }
  }

  public SchemaFile {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  public static SchemaFile none() { return new SchemaFile(CsvLayout.defaults(), Map.of()); }

  private static final Set<String> TOP = Set.of("header", "comment", "missing", "columns");
  private static final Set<String> COLUMN = Set.of("type", "integer", "min", "max", "replace");

  public static SchemaFile read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not readable YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isNull()) return none();
    if (!root.isObject()) throw new IllegalArgumentException(file + ": expected a mapping at the top");
    checkKeys(file, "", root, TOP);
    boolean header = !root.has("header") || bool(file, "header", root.get("header"));
    Character comment = null;
    if (root.has("comment")) {
      String c = root.get("comment").asText();
      if (c.length() != 1) throw new IllegalArgumentException(file + ": comment must be one character, got '" + c + "'");
      comment = c.charAt(0);
    }
    Set<String> missing = CsvLayout.DEFAULT_MISSING;
    if (root.has("missing")) {
      if (!root.get("missing").isArray()) throw new IllegalArgumentException(file + ": missing must be a list of tokens");
      missing = new HashSet<>();
      for (JsonNode m : root.get("missing")) missing.add(m.asText());
    }
    Map<String, ColumnOverride> cols = new LinkedHashMap<>();
    Map<String, Map<String, String>> replace = new LinkedHashMap<>();
    JsonNode cn = root.path("columns");
    if (!cn.isMissingNode() && !cn.isObject()) throw new IllegalArgumentException(file + ": columns must be a mapping name -> settings");
    for (Iterator<Map.Entry<String, JsonNode>> it = cn.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode c = e.getValue() == null || e.getValue().isNull() ? new ObjectMapper().createObjectNode() : e.getValue();
      if (!c.isObject()) throw new IllegalArgumentException(file + ": column '" + name + "' settings must be a mapping");
      checkKeys(file, "column '" + name + "': ", c, COLUMN);
      try {
        cols.put(name, new ColumnOverride(c.has("type") ? c.get("type").asText() : null,
            c.has("integer") ? bool(file, name + ".integer", c.get("integer")) : null,
            number(file, name, "min", c), number(file, name, "max", c)));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": column '" + name + "': " + ex.getMessage());
      }
      if (c.has("replace")) {
        Map<String, String> r = new LinkedHashMap<>();
        c.get("replace").fields().forEachRemaining(kv -> r.put(kv.getKey(), kv.getValue().asText()));
        replace.put(name, r);
      }
    }
    return new SchemaFile(new CsvLayout(header, comment, missing, replace), cols);
  }

  private static void checkKeys(Path file, String where, JsonNode node, Set<String> allowed) {
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(file + ": " + where + "unknown key '" + k + "' (expected one of "
            + allowed.stream().sorted().toList() + ")");
      }
    });
  }

  private static boolean bool(Path file, String key, JsonNode n) {
    if (!n.isBoolean()) throw new IllegalArgumentException(file + ": " + key + " must be true or false, got '" + n.asText() + "'");
    return n.asBoolean();
  }

  private static Double number(Path file, String column, String key, JsonNode c) {
    if (!c.has(key)) return null;
    JsonNode n = c.get(key);
    if (!n.isNumber()) throw new IllegalArgumentException(key + " must be a number, got '" + n.asText() + "'");
    return n.asDouble();
  }

  private static String firstLine(String s) { return s == null ? "" : s.lines().findFirst().orElse(""); }
}

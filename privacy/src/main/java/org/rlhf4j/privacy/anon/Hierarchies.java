package org.rlhf4j.privacy.anon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generalisation hierarchies from a small YAML or JSON file, one entry per quasi-identifier:
 * <pre>
 * age:       {type: interval, widths: [5, 10, 20, 40]}
 * zip:       {type: prefix, length: 5}
 * education: {type: tree, parents: {Bachelors: Higher-ed, Masters: Higher-ed, Higher-ed: "*", HS-grad: School, School: "*"}}
 * sex:       {type: flat}
 * </pre>
 * A quasi-identifier without an entry is {@code flat} (kept or replaced by {@code *}); entries for other columns
 * of the table are ignored (one file can serve several choices of quasi-identifiers), entries naming no column are
 * an error. Interval ranges for the loss metric come from the data.
 */
public final class Hierarchies {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Hierarchies() {}

  /** The hierarchies of {@code quasi} in {@code table}; {@code file} may be null (all flat). */
  public static Map<String, Hierarchy> read(Path file, Table table, List<String> quasi) {
    JsonNode root = null;
    if (file != null) {
      if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such hierarchy file: " + file);
      try {
        root = YAML.readTree(file.toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": malformed YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (root == null || !root.isObject()) throw new IllegalArgumentException(file + ": expected a mapping from column to hierarchy");
      for (var it = root.fieldNames(); it.hasNext(); ) {
        String c = it.next();
        if (!table.columns().contains(c)) {
          throw new IllegalArgumentException(file + ": hierarchy for '" + c + "', which is not a column (" + String.join(", ", table.columns()) + ")");
        }
      }
    }
    Map<String, Hierarchy> out = new LinkedHashMap<>();
    for (String q : quasi) {
      JsonNode spec = root == null ? null : root.get(q);
      out.put(q, spec == null ? new Hierarchy.Flat() : parse(file, q, spec, table));
    }
    return out;
  }

  private static Hierarchy parse(Path file, String column, JsonNode spec, Table table) {
    String where = file + ": " + column + ": ";
    String type = spec.path("type").asText("");
    try {
      return switch (type) {
        case "interval" -> {
          List<Integer> widths = new ArrayList<>();
          for (JsonNode w : spec.path("widths")) widths.add(w.asInt());
          int idx = table.index(column);
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (String[] r : table.rows()) {
            double v;
            try {
              v = Double.parseDouble(r[idx]);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("'" + r[idx] + "' is not a number");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
          yield new Hierarchy.Interval(widths, min, max);
        }
        case "prefix" -> new Hierarchy.Prefix(spec.path("length").asInt(0));
        case "tree" -> {
          Map<String, String> parents = new HashMap<>();
          spec.path("parents").fields().forEachRemaining(e -> parents.put(e.getKey(), e.getValue().asText()));
          if (parents.isEmpty()) throw new IllegalArgumentException("tree needs a non-empty 'parents' mapping");
          yield Hierarchy.Tree.of(parents);
        }
        case "flat" -> new Hierarchy.Flat();
        default -> throw new IllegalArgumentException("unknown type '" + type + "' (interval, prefix, tree, flat)");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }
}

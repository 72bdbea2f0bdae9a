package org.rlhf4j.synth.table;

import java.util.Map;
import java.util.Set;

/**
 * How a CSV file is laid out: a header line or not, a comment marker (lines starting with it are skipped, e.g. the
 * {@code |1x3 Cross validator} line of Adult's test file), the tokens that mean "missing", and per-column text
 * replacements applied before anything else (e.g. Adult's test labels {@code <=50K.} to {@code <=50K}).
 */
public record CsvLayout(boolean header, Character comment, Set<String> missing, Map<String, Map<String, String>> replace) {
  public static final Set<String> DEFAULT_MISSING = Set.of("", "?", "NA", "NaN", "nan", "null", "NULL");

  public CsvLayout {
    missing = Set.copyOf(missing);
    replace = Map.copyOf(replace);
  }

  public static CsvLayout defaults() { return new CsvLayout(true, null, DEFAULT_MISSING, Map.of()); }

  public boolean isMissing(String v) { return missing.contains(v); }

  /** The token written for a missing numeric value: {@code ?} when it is one of the missing tokens, else the empty text. */
  public String missingToken() { return missing.contains("?") ? "?" : ""; }

  /** {@code value} after this column's replacements. */
  public String replaced(String column, String value) {
    Map<String, String> r = replace.get(column);
    return r == null ? value : r.getOrDefault(value, value);
  }
}

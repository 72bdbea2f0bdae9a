package org.rlhf4j.synth.table;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV into a {@link Table}: the schema is inferred (numeric when every present value parses as a number,
 * integer when every one is whole, min/max as observed; categorical otherwise) and then overridden by a
 * {@link SchemaFile}. Bad input fails with one line naming the file, line and column: ragged rows, a column with no
 * values, a constant column, a value that does not fit the type the schema file gives.
 */
public final class CsvReader {
  private CsvReader() {}

  public static Table read(Path csv, SchemaFile schemaFile) {
    Raw raw = parse(csv, schemaFile);
    List<ColumnSpec> specs = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < raw.names.size(); c++) {
      String name = raw.names.get(c);
      SchemaFile.ColumnOverride o = schemaFile.columns().get(name);
      ColumnSpec spec = infer(csv, raw, c, schemaFile.layout(), o);
      specs.add(spec);
      columns.add(convert(csv, raw, c, spec, schemaFile.layout()));
    }
    return new Table(new Schema(specs), columns);
  }

  /** Reads {@code csv} with the layout and types of an existing schema (e.g. synthetic rows against the real table's). */
  public static Table read(Path csv, SchemaFile schemaFile, Schema schema) {
    Raw raw = parse(csv, schemaFile);
    if (!raw.names.equals(schema.names())) {
      throw new IllegalArgumentException(csv + ": columns " + raw.names + " differ from the expected " + schema.names());
    }
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) columns.add(convert(csv, raw, c, schema.column(c), schemaFile.layout()));
    return new Table(schema, columns);
  }

  /** The text of each column, with the file line of each row. */
  private record Raw(List<String> names, List<List<String>> columns, List<Long> lines) {}

  private static Raw parse(Path csv, SchemaFile schemaFile) {
    CsvLayout layout = schemaFile.layout();
    CSVFormat.Builder f = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
        .setTrim(true);
    if (layout.comment() != null) f.setCommentMarker(layout.comment());
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8); CSVParser p = CSVParser.parse(in, f.build())) {
      List<String> names = layout.header() ? null : List.copyOf(schemaFile.columns().keySet());
      if (names != null && names.isEmpty()) {
        throw new IllegalArgumentException(csv + ": the schema file says header: false but lists no columns to name them");
      }
      List<List<String>> cols = null;
      List<Long> lines = new ArrayList<>();
      boolean first = true;
      for (CSVRecord r : p) {
        long line = p.getCurrentLineNumber();
        List<String> values = r.toList();
        if (first && (names == null || values.equals(names))) { // the header (also accepted when header: false)
          first = false;
          if (names == null) names = List.copyOf(values);
          cols = empty(names.size());
          continue;
        }
        if (first) cols = empty(names.size());
        first = false;
        if (values.size() != names.size()) {
          throw new IllegalArgumentException(csv + ":" + line + ": row has " + values.size() + " values, expected "
              + names.size() + " (" + String.join(", ", names) + ")");
        }
        for (int c = 0; c < values.size(); c++) cols.get(c).add(layout.replaced(names.get(c), values.get(c)));
        lines.add(line);
      }
      if (names == null || lines.isEmpty()) throw new IllegalArgumentException(csv + ": no data rows");
      for (String n : schemaFile.columns().keySet()) {
        if (!names.contains(n)) throw new IllegalArgumentException(csv + ": the schema file names column '" + n + "', which the file does not have (columns: " + names + ")");
      }
      return new Raw(names, cols, lines);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(csv + ": cannot read: " + e.getMessage());
    }
  }

  private static List<List<String>> empty(int n) {
    List<List<String>> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) cols.add(new ArrayList<>());
    return cols;
  }

  private static ColumnSpec infer(Path csv, Raw raw, int c, CsvLayout layout, SchemaFile.ColumnOverride o) {
    String name = raw.names.get(c);
    List<String> values = raw.columns.get(c);
    java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
    boolean numeric = true, integer = true;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (String v : values) {
      if (layout.isMissing(v)) continue;
      distinct.add(v);
      Double d = parse(v);
      if (d == null) numeric = false;
      else {
        integer &= d == Math.rint(d);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException(csv + ": column '" + name + "' has no values (all " + values.size() + " rows are missing); drop it");
    }
    String type = o != null && o.type() != null ? o.type() : numeric ? "numeric" : "categorical";
    if (type.equals("categorical")) {
      boolean anyMissing = values.stream().anyMatch(layout::isMissing);
      if (distinct.size() == 1 && !anyMissing) throw constant(csv, name, distinct);
      return new ColumnSpec.Categorical(name);
    }
    if (!numeric) { // typed numeric in the schema file, but a value does not parse: name the first one
      for (int r = 0; r < values.size(); r++) {
        String v = values.get(r);
        if (!layout.isMissing(v) && parse(v) == null) {
          throw new IllegalArgumentException(csv + ":" + raw.lines.get(r) + ": column '" + name
              + "' is typed numeric in the schema file but holds '" + v + "'");
        }
      }
    }
    if (distinct.size() == 1 || min == max) throw constant(csv, name, distinct);
    boolean isInt = o != null && o.integer() != null ? o.integer() : integer;
    double lo = o != null && o.min() != null ? o.min() : min;
    double hi = o != null && o.max() != null ? o.max() : max;
    try {
      return new ColumnSpec.Numeric(name, isInt, lo, hi);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(csv + ": " + e.getMessage());
    }
  }

  private static IllegalArgumentException constant(Path csv, String name, java.util.Set<String> distinct) {
    return new IllegalArgumentException(csv + ": column '" + name + "' is constant ('" + distinct.iterator().next()
        + "' in every row): there is nothing to learn from it; drop it");
  }

  private static Column convert(Path csv, Raw raw, int c, ColumnSpec spec, CsvLayout layout) {
    List<String> values = raw.columns.get(c);
    if (spec instanceof ColumnSpec.Categorical) return new Column.Categorical(spec.name(), values.toArray(String[]::new));
    double[] out = new double[values.size()];
    for (int r = 0; r < out.length; r++) {
      String v = values.get(r);
      if (layout.isMissing(v)) {
        out[r] = Double.NaN;
        continue;
      }
      Double d = parse(v);
      if (d == null) {
        throw new IllegalArgumentException(csv + ":" + raw.lines.get(r) + ": column '" + spec.name() + "' is numeric but holds '" + v + "'");
      }
      out[r] = d;
    }
    return new Column.Numeric(spec.name(), out);
  }

  /** The number in {@code v}, or null when it is none (or not finite). */
  static Double parse(String v) {
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

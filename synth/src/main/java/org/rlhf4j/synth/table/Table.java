package org.rlhf4j.synth.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A column-oriented table whose columns follow a {@link Schema}. */
public record Table(Schema schema, List<Column> columns) {
  public Table {
    Objects.requireNonNull(schema, "schema");
    columns = List.copyOf(columns);
    if (columns.size() != schema.size()) {
      throw new IllegalArgumentException("table has " + columns.size() + " columns, its schema " + schema.size());
    }
    int rows = columns.get(0).size();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      ColumnSpec spec = schema.column(i);
      if (!c.name().equals(spec.name())) {
        throw new IllegalArgumentException("column " + i + " is '" + c.name() + "', the schema says '" + spec.name() + "'");
      }
      if (!spec.holds(c)) throw new IllegalArgumentException("column '" + c.name() + "' does not hold " + spec.typeName() + " values");
      if (c.size() != rows) {
        throw new IllegalArgumentException("column '" + c.name() + "' has " + c.size() + " rows, '" + columns.get(0).name()
            + "' has " + rows);
      }
    }
  }

  public int rows() { return columns.get(0).size(); }

  public Column column(int i) { return columns.get(i); }

  public Column column(String name) { return columns.get(schema.indexOf(name)); }

  /** The rows at {@code rows}, in that order. */
  public Table select(int[] rows) {
    List<Column> out = new ArrayList<>();
    for (Column c : columns) out.add(c.select(rows));
    return new Table(schema, out);
  }

  /** The rows of {@code parts}, one after another; every part must have this table's schema. */
  public static Table concat(List<Table> parts) {
    if (parts.isEmpty()) throw new IllegalArgumentException("concat: no tables");
    Schema schema = parts.get(0).schema();
    List<Column> out = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      int n = 0;
      for (Table t : parts) {
        if (!t.schema().equals(schema)) throw new IllegalArgumentException("concat: tables with different schemas");
        n += t.rows();
      }
      if (parts.get(0).column(j) instanceof Column.Numeric first) {
        double[] v = new double[n];
        int at = 0;
        for (Table t : parts) for (double x : ((Column.Numeric) t.column(j)).values()) v[at++] = x;
        out.add(new Column.Numeric(first.name(), v));
      } else {
        String[] v = new String[n];
        int at = 0;
        for (Table t : parts) for (String x : ((Column.Categorical) t.column(j)).values()) v[at++] = x;
        out.add(new Column.Categorical(parts.get(0).column(j).name(), v));
      }
    }
    return new Table(schema, out);
  }

  /** The first {@code n} rows (all when fewer). */
  public Table head(int n) {
    int[] idx = new int[Math.min(n, rows())];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    return select(idx);
  }
}

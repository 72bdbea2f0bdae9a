package org.rlhf4j.synth.table;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The columns of a table, in order, with unique names. */
public record Schema(List<ColumnSpec> columns) {
  public Schema {
    Objects.requireNonNull(columns, "columns");
    if (columns.isEmpty()) throw new IllegalArgumentException("a schema needs at least one column");
    columns = List.copyOf(columns);
    Set<String> seen = new HashSet<>();
    for (ColumnSpec c : columns) {
      if (!seen.add(c.name())) throw new IllegalArgumentException("column '" + c.name() + "' appears twice");
    }
  }

  public int size() { return columns.size(); }

  public ColumnSpec column(int i) { return columns.get(i); }

  /** The index of column {@code name}, or an error naming it and the known columns. */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
    throw new IllegalArgumentException("no column '" + name + "' (columns: " + names() + ")");
  }

  public List<String> names() { return columns.stream().map(ColumnSpec::name).toList(); }

  static void checkName(String name) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a column needs a non-blank name");
  }
}

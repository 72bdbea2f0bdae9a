package org.rlhf4j.evaluation.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A table of strings and numbers (numbers are shown to 4 significant digits, NaN / null as a dash).
 *
 * @param caption shown above the table
 * @param header  column names
 * @param rows    each row has exactly one cell per column
 */
public record Table(String caption, List<String> header, List<List<Object>> rows) implements Block {
  public Table {
    Checks.text("caption", caption);
    Objects.requireNonNull(header, "header");
    if (header.isEmpty()) throw new IllegalArgumentException("table '" + caption + "' needs at least one column");
    header = List.copyOf(header);
    Objects.requireNonNull(rows, "rows");
    List<List<Object>> copy = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      List<Object> row = rows.get(r);
      if (row == null || row.size() != header.size()) {
        throw new IllegalArgumentException("table '" + caption + "' row " + r + " has "
            + (row == null ? 0 : row.size()) + " cells, expected " + header.size());
      }
      for (Object cell : row) {
        if (cell != null && !(cell instanceof String) && !(cell instanceof Number) && !(cell instanceof Boolean)) {
          throw new IllegalArgumentException("table '" + caption + "' row " + r + " holds a "
              + cell.getClass().getSimpleName() + "; cells are strings, numbers or booleans");
        }
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /** Builds a table from rows given as arrays. */
  public static Table of(String caption, List<String> header, Object[]... rows) {
    List<List<Object>> list = new ArrayList<>();
    for (Object[] r : rows) list.add(java.util.Arrays.asList(r));
    return new Table(caption, header, list);
  }
}

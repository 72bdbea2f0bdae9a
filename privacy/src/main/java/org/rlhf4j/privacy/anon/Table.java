package org.rlhf4j.privacy.anon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of string cells read from a comma-separated file (cells trimmed, so UCI Adult's ", " works), with a header
 * row or with the column names given. Blank lines are skipped; a row with the wrong number of cells is a one-line
 * error naming the file and line. Quoting is not supported: cells must not contain commas.
 */
public record Table(List<String> columns, List<String[]> rows) {
  public Table {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** Reads {@code file}; {@code names} null or empty = the first row is the header. */
  public static Table read(Path file, List<String> names) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> columns = names == null || names.isEmpty() ? null : List.copyOf(names);
      List<String[]> rows = new ArrayList<>();
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("|")) continue; // adult.test starts with "|1x3 Cross validator"
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) cells[i] = cells[i].strip();
        if (columns == null) {
          columns = List.of(cells);
          continue;
        }
        if (cells.length != columns.size()) {
          throw new IllegalArgumentException(file + ":" + n + ": " + cells.length + " cells, expected " + columns.size() + " (" + String.join(",", columns) + ")");
        }
        rows.add(cells);
      }
      if (columns == null) throw new IllegalArgumentException(file + ": empty file");
      return new Table(columns, rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The index of {@code column}, or a one-line error listing the columns. */
  public int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) throw new IllegalArgumentException("unknown column '" + column + "' (columns: " + String.join(", ", columns) + ")");
    return i;
  }

  /** Writes the table with a header row (atomically: a temporary file moved into place). */
  public void write(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(String.join(",", columns));
        w.write('\n');
        for (String[] row : rows) {
          w.write(String.join(",", row));
          w.write('\n');
        }
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

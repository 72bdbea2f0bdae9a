package org.rlhf4j.synth.table;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values of one column: doubles (NaN for missing) or category texts. */
public sealed interface Column permits Column.Numeric, Column.Categorical {
  String name();

  int size();

  /** The value of row {@code r} as it would be written to a CSV ({@code missing} for NaN). */
  String text(int r, String missing);

  /** A new column with the rows at {@code rows}, in that order. */
  Column select(int[] rows);

  record Numeric(String name, double[] values) implements Column {
    @Override public int size() { return values.length; }

    @Override public String text(int r, String missing) {
      double v = values[r];
      if (Double.isNaN(v)) return missing;
      if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
      return Double.toString(v);
    }

    @Override public Column select(int[] rows) {
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
      return new Numeric(name, out);
    }

    /** The values that are not missing. */
    public double[] present() { return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray(); }

    public long missingCount() { return Arrays.stream(values).filter(Double::isNaN).count(); }
  }

  record Categorical(String name, String[] values) implements Column {
    @Override public int size() { return values.length; }

    @Override public String text(int r, String missing) { return values[r]; }

    @Override public Column select(int[] rows) {
      String[] out = new String[rows.length];
      for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
      return new Categorical(name, out);
    }

    /** Category counts in first-seen order. */
    public Map<String, Integer> counts() {
      Map<String, Integer> c = new LinkedHashMap<>();
      for (String v : values) c.merge(v, 1, Integer::sum);
      return c;
    }

    /** The distinct categories in first-seen order. */
    public List<String> categories() { return List.copyOf(counts().keySet()); }
  }
}

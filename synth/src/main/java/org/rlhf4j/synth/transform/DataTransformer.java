package org.rlhf4j.synth.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

/**
 * A whole table as a float matrix: the column transforms side by side, each row laid out as {@link #spans()}.
 * {@link #encode} draws each continuous value's mode from {@code rng}; {@link #decode} reads argmax one-hots, so it
 * accepts raw generator activations as well as exact encodings.
 */
public record DataTransformer(Schema schema, List<ColumnTransform> columns) {
  public DataTransformer {
    columns = List.copyOf(columns);
    if (columns.size() != schema.size()) throw new IllegalArgumentException("one transform per schema column");
  }

  public static DataTransformer fit(Table t) {
    List<ColumnTransform> cols = new ArrayList<>();
    for (Column c : t.columns()) cols.add(ColumnTransform.fit(c));
    return new DataTransformer(t.schema(), cols);
  }

  /** Floats per row. */
  public int width() { return columns.stream().mapToInt(ColumnTransform::width).sum(); }

  /** Every span in row order. */
  public List<Span> spans() {
    List<Span> s = new ArrayList<>();
    for (ColumnTransform c : columns) s.addAll(c.spans());
    return s;
  }

  /** The first float of column {@code i} in a row. */
  public int offset(int i) {
    int o = 0;
    for (int c = 0; c < i; c++) o += columns.get(c).width();
    return o;
  }

  /** (rows, width) row-major. */
  public float[] encode(Table t, Random rng) {
    if (!t.schema().equals(schema)) throw new IllegalArgumentException("table schema " + t.schema().names() + " differs from the fitted one");
    int w = width();
    float[] out = new float[t.rows() * w];
    for (int c = 0; c < columns.size(); c++) columns.get(c).encode(t.column(c), out, w, offset(c), rng);
    return out;
  }

  /** The table back from {@code rows} rows of (rows, width) row-major data. */
  public Table decode(float[] data, int rows) {
    int w = width();
    if (data.length != rows * w) throw new IllegalArgumentException("expected " + rows + " x " + w + " values, got " + data.length);
    List<Column> out = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) out.add(columns.get(c).decode(data, rows, w, offset(c), schema.column(c)));
    return new Table(schema, out);
  }

  /** The discrete (one-hot) columns, which the conditional vector covers, in table order. */
  public List<OneHot> discrete() {
    List<OneHot> d = new ArrayList<>();
    for (ColumnTransform c : columns) if (c instanceof OneHot o) d.add(o);
    return d;
  }

  /** The offset in a row of each {@link #discrete()} column. */
  public int[] discreteOffsets() {
    List<Integer> o = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) if (columns.get(c) instanceof OneHot) o.add(offset(c));
    return o.stream().mapToInt(Integer::intValue).toArray();
  }
}

package org.rlhf4j.synth.transform;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Random;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;

/**
 * The reversible encoding of one column into a block of float columns laid out as {@link #spans()}: a continuous
 * column as (alpha, mode one-hot[, missing one-hot]), a discrete column as a one-hot.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = ModeNormalizer.class, name = "continuous"),
    @JsonSubTypes.Type(value = OneHot.class, name = "discrete")})
public sealed interface ColumnTransform permits ModeNormalizer, OneHot {
  String name();

  List<Span> spans();

  default int width() { return spans().stream().mapToInt(Span::width).sum(); }

  /** Writes the encoding of each row {@code r} of {@code column} at {@code out[r * stride + offset ...]}. */
  void encode(Column column, float[] out, int stride, int offset, Random rng);

  /** The column back from (activated or one-hot) outputs laid out as {@link #encode} writes them. */
  Column decode(float[] data, int rows, int stride, int offset, ColumnSpec spec);

  /** The fitted transform for {@code column}. */
  static ColumnTransform fit(Column column) {
    return column instanceof Column.Numeric n ? ModeNormalizer.fit(n) : OneHot.fit((Column.Categorical) column);
  }

  /** The index of the largest of {@code width} values starting at {@code data[from]}. */
  static int argmax(float[] data, int from, int width) {
    int best = 0;
    for (int j = 1; j < width; j++) if (data[from + j] > data[from + best]) best = j;
    return best;
  }
}

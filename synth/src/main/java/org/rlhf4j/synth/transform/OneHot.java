package org.rlhf4j.synth.transform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;

/** A discrete column as a one-hot over its categories (first-seen order); {@code counts} are the training counts. */
public record OneHot(String name, List<String> categories, int[] counts) implements ColumnTransform {
  public OneHot {
    categories = List.copyOf(categories);
    if (categories.size() != counts.length) throw new IllegalArgumentException("column '" + name + "': one count per category");
  }

  public static OneHot fit(Column.Categorical c) {
    Map<String, Integer> counts = c.counts();
    return new OneHot(c.name(), List.copyOf(counts.keySet()), counts.values().stream().mapToInt(Integer::intValue).toArray());
  }

  @Override public List<Span> spans() { return List.of(new Span(categories.size(), Span.Activation.SOFTMAX)); }

  /** The category index of every row; a category unseen in training is an error naming it. */
  public int[] codes(Column column) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < categories.size(); i++) index.put(categories.get(i), i);
    String[] v = ((Column.Categorical) column).values();
    int[] out = new int[v.length];
    for (int r = 0; r < v.length; r++) {
      Integer k = index.get(v[r]);
      if (k == null) throw new IllegalArgumentException("column '" + name + "': category '" + v[r] + "' was not in the training data");
      out[r] = k;
    }
    return out;
  }

  @Override public void encode(Column column, float[] out, int stride, int offset, Random rng) {
    int[] codes = codes(column);
    for (int r = 0; r < codes.length; r++) out[r * stride + offset + codes[r]] = 1f;
  }

  @Override public Column decode(float[] data, int rows, int stride, int offset, ColumnSpec spec) {
    String[] out = new String[rows];
    for (int r = 0; r < rows; r++) out[r] = categories.get(ColumnTransform.argmax(data, r * stride + offset, categories.size()));
    return new Column.Categorical(name, out);
  }
}

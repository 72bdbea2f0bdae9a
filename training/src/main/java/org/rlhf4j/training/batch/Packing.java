package org.rlhf4j.training.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sequence packing. Packed rows attend across the examples they hold (no per-document attention
 * mask), as nanoGPT and TRL's constant-length packing do; each example ends with EOS, which marks
 * the boundary for the model.
 */
public final class Packing {
  private Packing() {}

  /**
   * Pre-training blocks: all documents concatenated into one token stream, cut into blocks of
   * exactly {@code blockLength} tokens, every token a target. The tail shorter than a block is
   * dropped, except when the whole corpus is shorter than one block (then it is the only block).
   */
  public static List<Row> blocks(List<int[]> documents, int blockLength) {
    if (blockLength < 2) throw new IllegalArgumentException("blockLength must be >= 2, got " + blockLength);
    int total = documents.stream().mapToInt(d -> d.length).sum();
    if (total < 2) throw new IllegalArgumentException("the corpus has " + total + " tokens; pre-training needs at least 2");
    int[] stream = new int[total];
    int at = 0;
    for (int[] d : documents) {
      System.arraycopy(d, 0, stream, at, d.length);
      at += d.length;
    }
    if (total < blockLength) return List.of(Row.allTargets(stream));
    List<Row> out = new ArrayList<>(total / blockLength);
    for (int start = 0; start + blockLength <= total; start += blockLength) {
      out.add(Row.allTargets(Arrays.copyOfRange(stream, start, start + blockLength)));
    }
    return out;
  }

  /**
   * SFT packing: consecutive rows are concatenated (with their loss masks) while they fit in
   * {@code maxLength}; an example is never split. Rows already longer than {@code maxLength}
   * stay alone.
   */
  public static List<Row> pack(List<Row> rows, int maxLength) {
    if (maxLength < 2) throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
    List<Row> out = new ArrayList<>();
    List<Row> current = new ArrayList<>();
    int length = 0;
    for (Row r : rows) {
      if (!current.isEmpty() && length + r.length() > maxLength) {
        out.add(concat(current));
        current.clear();
        length = 0;
      }
      current.add(r);
      length += r.length();
    }
    if (!current.isEmpty()) out.add(concat(current));
    return out;
  }

  static Row concat(List<Row> rows) {
    if (rows.size() == 1) return rows.get(0);
    int n = rows.stream().mapToInt(Row::length).sum();
    int[] ids = new int[n], mask = new int[n];
    int at = 0;
    for (Row r : rows) {
      System.arraycopy(r.ids(), 0, ids, at, r.length());
      System.arraycopy(r.lossMask(), 0, mask, at, r.length());
      at += r.length();
    }
    return new Row(ids, mask);
  }
}

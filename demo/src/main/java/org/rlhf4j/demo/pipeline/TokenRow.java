package org.rlhf4j.demo.pipeline;

/** Token ids with a 0/1 loss mask over the same positions (1 = a target the model learns to predict). */
record TokenRow(long[] ids, long[] lossMask) {
  TokenRow {
    if (ids.length != lossMask.length) throw new IllegalArgumentException("ids and lossMask differ in length");
  }

  /** Right-pads rows to a (B, T) batch: {ids, attention mask, loss mask}. */
  static long[][][] batch(java.util.List<TokenRow> rows, long padId) {
    int t = rows.stream().mapToInt(r -> r.ids.length).max().orElse(1);
    long[][] ids = new long[rows.size()][t], attn = new long[rows.size()][t], loss = new long[rows.size()][t];
    for (int i = 0; i < rows.size(); i++) {
      TokenRow r = rows.get(i);
      java.util.Arrays.fill(ids[i], padId);
      System.arraycopy(r.ids, 0, ids[i], 0, r.ids.length);
      java.util.Arrays.fill(attn[i], 0, r.ids.length, 1);
      System.arraycopy(r.lossMask, 0, loss[i], 0, r.ids.length);
    }
    return new long[][][] {ids, attn, loss};
  }
}

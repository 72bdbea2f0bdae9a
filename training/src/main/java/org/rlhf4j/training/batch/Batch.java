package org.rlhf4j.training.batch;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/**
 * A right-padded batch: token ids (B, T) int64 (padding holds the pad id), attention mask (B, T)
 * int64 0/1, and loss mask (B, T) int64 with 1 on target tokens (never on padding).
 *
 * @param padded false when every row has length T (callers may then skip the attention mask)
 * @param tokens number of real (non-padding) tokens
 */
public record Batch(Tensor ids, Tensor attentionMask, Tensor lossMask, boolean padded, long tokens) {

  /** Pads {@code rows} on the right to the longest one. */
  public static Batch collate(List<Row> rows, int padId, Device device) {
    if (rows.isEmpty()) throw new IllegalArgumentException("Batch.collate: no rows");
    int t = rows.stream().mapToInt(Row::length).max().getAsInt();
    long[][] ids = new long[rows.size()][t], attn = new long[rows.size()][t], loss = new long[rows.size()][t];
    boolean padded = false;
    long tokens = 0;
    for (int b = 0; b < rows.size(); b++) {
      Row r = rows.get(b);
      java.util.Arrays.fill(ids[b], padId);
      for (int i = 0; i < r.length(); i++) {
        ids[b][i] = r.ids()[i];
        attn[b][i] = 1;
        loss[b][i] = r.lossMask()[i];
      }
      padded |= r.length() < t;
      tokens += r.length();
    }
    return new Batch(Tensors.longs(ids, device), Tensors.longs(attn, device), Tensors.longs(loss, device), padded, tokens); // (B, T) x3
  }

  /** The attention mask, or null when there is no padding (the model then uses its plain causal mask). */
  public Tensor maskOrNull() { return padded ? attentionMask : null; }
}

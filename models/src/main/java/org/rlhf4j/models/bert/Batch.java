package org.rlhf4j.models.bert;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;

/** Right-padded token ids (B, T) and their 0/1 attention mask (B, T), int64, on one device. */
public record Batch(Tensor inputIds, Tensor attentionMask) {

  /** Tokenizes with special tokens; a text longer than {@code maxLength} keeps its first tokens and its last (e.g. [SEP]). */
  static Batch of(Tokenizer tokenizer, List<String> texts, int maxLength, Device device) {
    if (texts.isEmpty()) throw new IllegalArgumentException("no texts to encode");
    int[][] ids = tokenizer.encodeBatch(texts, true);
    int t = 1;
    for (int[] row : ids) t = Math.max(t, Math.min(row.length, maxLength));
    long[] flatIds = new long[ids.length * t];
    long[] flatMask = new long[ids.length * t];
    long pad = tokenizer.padId();
    for (int b = 0; b < ids.length; b++) {
      int[] row = ids[b];
      int n = Math.min(row.length, maxLength);
      for (int i = 0; i < t; i++) {
        boolean real = i < n;
        int src = (real && row.length > maxLength && i == n - 1) ? row.length - 1 : i;
        flatIds[b * t + i] = real ? row[src] : pad;
        flatMask[b * t + i] = real ? 1 : 0;
      }
    }
    Tensor idsT = Tensor.create(flatIds, ids.length, t);      // (B, T)
    Tensor maskT = Tensor.create(flatMask, ids.length, t);    // (B, T)
    if (device.isCuda()) {
      idsT = idsT.to(device.torch(), idsT.scalar_type());
      maskT = maskT.to(device.torch(), maskT.scalar_type());
    }
    return new Batch(idsT, maskT);
  }
}

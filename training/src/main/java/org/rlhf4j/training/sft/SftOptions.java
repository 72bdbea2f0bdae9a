package org.rlhf4j.training.sft;

import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.loss.SftLoss;

/**
 * SFT data options.
 *
 * @param maxLength       tokens per example (and per packed row)
 * @param overflow        what happens to longer examples
 * @param batchSize       rows per micro-batch
 * @param packing         concatenate consecutive examples into rows of up to {@code maxLength}
 * @param completionOnly  loss on completion tokens only (true, the default) or on every token
 * @param reduction       token mean over the batch (default) or mean of per-sequence means
 */
public record SftOptions(int maxLength, Overflow overflow, int batchSize, boolean packing, boolean completionOnly,
    SftLoss.Reduction reduction) {
  public SftOptions {
    if (maxLength < 2) throw new IllegalArgumentException("SftOptions: maxLength must be >= 2, got " + maxLength);
    if (overflow == null) throw new IllegalArgumentException("SftOptions: overflow is required");
    if (batchSize < 1) throw new IllegalArgumentException("SftOptions: batchSize must be >= 1, got " + batchSize);
    if (reduction == null) throw new IllegalArgumentException("SftOptions: reduction is required");
  }

  /** maxLength 512, prompt truncated from the left, batch 8, no packing, completion-only token-mean loss. */
  public static SftOptions defaults() {
    return new SftOptions(512, Overflow.TRUNCATE_PROMPT_LEFT, 8, false, true, SftLoss.Reduction.TOKEN_MEAN);
  }

  public SftOptions withMaxLength(int v) { return new SftOptions(v, overflow, batchSize, packing, completionOnly, reduction); }
  public SftOptions withBatchSize(int v) { return new SftOptions(maxLength, overflow, v, packing, completionOnly, reduction); }
  public SftOptions withPacking(boolean v) { return new SftOptions(maxLength, overflow, batchSize, v, completionOnly, reduction); }
  public SftOptions withOverflow(Overflow v) { return new SftOptions(maxLength, v, batchSize, packing, completionOnly, reduction); }
  public SftOptions withCompletionOnly(boolean v) { return new SftOptions(maxLength, overflow, batchSize, packing, v, reduction); }

  public LengthPolicy lengthPolicy() { return new LengthPolicy(maxLength, overflow); }
}

package org.rlhf4j.training.reward;

import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.loss.RewardLoss;

/**
 * Reward-model training options.
 *
 * @param maxLength tokens per prompt + response (longer ones follow {@code overflow})
 * @param overflow  truncate the prompt from the left (default) or drop the whole pair/ranking
 * @param batchSize pairs (or rankings) per micro-batch
 * @param loss      label smoothing and reward-centering coefficient (Bradley-Terry)
 * @param margin    reward gap required of every pair (0 = plain Bradley-Terry)
 */
public record RewardOptions(int maxLength, Overflow overflow, int batchSize, RewardLoss.Config loss, double margin) {
  public RewardOptions {
    if (maxLength < 2) throw new IllegalArgumentException("RewardOptions: maxLength must be >= 2, got " + maxLength);
    if (overflow == null) throw new IllegalArgumentException("RewardOptions: overflow is required");
    if (batchSize < 1) throw new IllegalArgumentException("RewardOptions: batchSize must be >= 1, got " + batchSize);
    if (loss == null) throw new IllegalArgumentException("RewardOptions: loss is required");
    if (!(margin >= 0 && Double.isFinite(margin))) throw new IllegalArgumentException("RewardOptions: margin must be >= 0, got " + margin);
  }

  /** maxLength 512, prompt truncated from the left, 8 pairs per batch, plain Bradley-Terry. */
  public static RewardOptions defaults() {
    return new RewardOptions(512, Overflow.TRUNCATE_PROMPT_LEFT, 8, RewardLoss.Config.DEFAULT, 0.0);
  }

  public RewardOptions withMaxLength(int v) { return new RewardOptions(v, overflow, batchSize, loss, margin); }
  public RewardOptions withBatchSize(int v) { return new RewardOptions(maxLength, overflow, v, loss, margin); }
  public RewardOptions withLoss(RewardLoss.Config v) { return new RewardOptions(maxLength, overflow, batchSize, v, margin); }
  public RewardOptions withMargin(double v) { return new RewardOptions(maxLength, overflow, batchSize, loss, v); }
  public RewardOptions withOverflow(Overflow v) { return new RewardOptions(maxLength, v, batchSize, loss, margin); }

  public LengthPolicy lengthPolicy() { return new LengthPolicy(maxLength, overflow); }
}

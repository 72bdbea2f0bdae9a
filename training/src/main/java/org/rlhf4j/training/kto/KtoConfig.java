package org.rlhf4j.training.kto;

import java.nio.file.Path;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.KtoLoss;
import org.rlhf4j.training.optim.Schedule;

/**
 * KTO settings.
 *
 * @param variant   {@link KtoLoss.Kto} (TRL loss_type "kto", beta 0.1, desirable/undesirable weights 1),
 *                  {@link KtoLoss.ApoZeroUnpaired} or {@link KtoLoss.Bco} (TRL BCOTrainer without UDM)
 * @param batchSize completions per micro-batch (TRL per_device_train_batch_size 8); KTO needs at least 2,
 *                  since the KL pairs are the batch's completions shifted by one (TRL)
 * @param maxLength prompt + completion tokens kept (TRL max_length 1024)
 * @param train     the loop's settings
 */
public record KtoConfig(KtoLoss.Variant variant, int batchSize, int maxLength, TrainConfig train) {
  public KtoConfig {
    if (variant == null) throw new IllegalArgumentException("KtoConfig: variant is required");
    if (batchSize < 1) throw new IllegalArgumentException("KtoConfig: batchSize must be >= 1, got " + batchSize);
    if (variant.needsKl() && batchSize < 2) {
      throw new IllegalArgumentException("KtoConfig: KTO needs batchSize >= 2 (the KL estimate pairs each prompt with"
          + " another example's completion; with 1 it equals the implied reward, as TRL warns)");
    }
    if (maxLength < 2) throw new IllegalArgumentException("KtoConfig: maxLength must be >= 2, got " + maxLength);
    if (train == null) throw new IllegalArgumentException("KtoConfig: train is required");
  }

  /** TRL KTOConfig defaults: kto loss, beta 0.1, weights 1, batch 8, max_length 1024, lr 1e-6 linear to 0. */
  public static KtoConfig defaults(Path outputDir) {
    TrainConfig t = TrainConfig.defaults(outputDir).toBuilder().lr(1e-6).schedule(Schedule.LINEAR).minLrRatio(0).build();
    return new KtoConfig(new KtoLoss.Kto(), 8, 1024, t);
  }

  public KtoConfig withVariant(KtoLoss.Variant v) { return new KtoConfig(v, batchSize, maxLength, train); }

  public KtoConfig withBatchSize(int b) { return new KtoConfig(variant, b, maxLength, train); }

  public KtoConfig withMaxLength(int m) { return new KtoConfig(variant, batchSize, m, train); }

  public KtoConfig withTrain(TrainConfig t) { return new KtoConfig(variant, batchSize, maxLength, t); }
}

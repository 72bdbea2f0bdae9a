package org.rlhf4j.training.dpo;

import java.nio.file.Path;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.optim.Schedule;

/**
 * DPO settings.
 *
 * @param variant             loss type and beta: {@link DpoLoss.Sigmoid} (TRL default, beta 0.1),
 *                            {@link DpoLoss.Ipo} (length-normalised log-probs, as TRL),
 *                            {@link DpoLoss.Conservative} (cDPO, TRL label_smoothing),
 *                            {@link DpoLoss.Hinge}, or one of {@link org.rlhf4j.training.loss.DpoVariants}
 *                            (robust, BCO, APO, NCA, SPPO, EXO, AOT, SimPO, ORPO, SFT, mixtures); it
 *                            states whether a reference is needed
 * @param batchSize           preference pairs per micro-batch (TRL per_device_train_batch_size 8)
 * @param precomputeReference reference log-probs computed once before training and cached (TRL
 *                            precompute_ref_log_probs, default false: on the fly each step); moot
 *                            for reference-free variants
 * @param maxLength           prompt + completion tokens kept per sequence (TRL max_length 1024):
 *                            longer prompts lose their start, longer completions their end
 * @param train               the loop's settings (steps, lr, checkpoints, output directory)
 * @param logprobChunkTokens  response tokens whose vocabulary logits exist at once when the log-probs are computed
 *                            ({@link org.rlhf4j.models.TokenLogprobs}: the (B, R, V) logits are never
 *                            materialised, each chunk's are recomputed in backward): 0 auto (about 64 MB of f32
 *                            logits per chunk), -1 the whole batch in one chunk
 */
public record DpoConfig(DpoLoss.Variant variant, int batchSize, boolean precomputeReference, int maxLength,
    TrainConfig train, long logprobChunkTokens) {
  public DpoConfig {
    if (variant == null) throw new IllegalArgumentException("DpoConfig: variant is required");
    if (batchSize < 1) throw new IllegalArgumentException("DpoConfig: batchSize must be >= 1, got " + batchSize);
    if (maxLength < 2) throw new IllegalArgumentException("DpoConfig: maxLength must be >= 2, got " + maxLength);
    if (train == null) throw new IllegalArgumentException("DpoConfig: train is required");
    if (logprobChunkTokens < -1) {
      throw new IllegalArgumentException("DpoConfig: logprobChunkTokens must be > 0, 0 (auto) or -1 (one chunk), got " + logprobChunkTokens);
    }
  }

  public DpoConfig(DpoLoss.Variant variant, int batchSize, boolean precomputeReference, int maxLength, TrainConfig train) {
    this(variant, batchSize, precomputeReference, maxLength, train, 0);
  }

  /**
   * TRL DPOConfig defaults: sigmoid loss, beta 0.1, batch 8, reference on the fly, max_length
   * 1024, learning rate 1e-6 with linear decay to 0, no warmup, max_grad_norm 1.0, AdamW
   * (0.9, 0.999, 1e-8), no weight decay. Steps, logging and saving as {@link TrainConfig#defaults}.
   */
  public static DpoConfig defaults(Path outputDir) {
    TrainConfig t = TrainConfig.defaults(outputDir).toBuilder().lr(1e-6).schedule(Schedule.LINEAR).minLrRatio(0)
        .build();
    return new DpoConfig(new DpoLoss.Sigmoid(0.1), 8, false, 1024, t);
  }

  public DpoConfig withVariant(DpoLoss.Variant v) { return new DpoConfig(v, batchSize, precomputeReference, maxLength, train, logprobChunkTokens); }

  public DpoConfig withBatchSize(int b) { return new DpoConfig(variant, b, precomputeReference, maxLength, train, logprobChunkTokens); }

  public DpoConfig withPrecomputeReference(boolean p) { return new DpoConfig(variant, batchSize, p, maxLength, train, logprobChunkTokens); }

  public DpoConfig withMaxLength(int m) { return new DpoConfig(variant, batchSize, precomputeReference, m, train, logprobChunkTokens); }

  public DpoConfig withTrain(TrainConfig t) { return new DpoConfig(variant, batchSize, precomputeReference, maxLength, t, logprobChunkTokens); }

  public DpoConfig withLogprobChunkTokens(long n) { return new DpoConfig(variant, batchSize, precomputeReference, maxLength, train, n); }
}

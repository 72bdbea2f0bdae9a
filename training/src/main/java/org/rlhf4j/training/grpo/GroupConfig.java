package org.rlhf4j.training.grpo;

import java.nio.file.Path;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.loss.OverlongPenalty;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.rollout.OnPolicyLoop;

/**
 * Settings of the critic-free group methods: each iteration samples {@code k} completions for
 * each of {@code promptsPerIteration} prompts, scores them and turns the scores into one
 * advantage per completion ({@link Advantage}); then {@code epochs} passes of the clipped loss
 * ({@link GrpoLoss}) over {@code numMiniBatches} shuffled minibatches.
 *
 * @param klCoef RLOO's reward-level penalty: score - klCoef * sum_t (log pi - log ref) (TRL
 *               RLOOTrainer kl_coef 0.05); 0 for GRPO, whose KL term is {@code loss.beta()} (k3 in the loss)
 */
public record GroupConfig(int iterations, int promptsPerIteration, int k, int maxNewTokens, double temperature,
    Set<Integer> stopIds, double missingEosPenalty, Advantage advantage, double klCoef, GrpoLoss.Config loss,
    int epochs, int numMiniBatches, int forwardBatchSize, TrainConfig train, Shaping shaping) {

  /**
   * DAPO's rollout shaping, all off by default. {@code maskTruncated} (TRL
   * mask_truncated_completions) keeps completions that hit the token budget without a stop token
   * out of the loss; {@code overlong} (null = off) adds the soft overlong penalty to the reward;
   * {@code dynamicSamplingRounds} > 0 draws up to that many extra prompt batches to replace
   * groups whose rewards are all equal, and masks any left out of the loss.
   */
  public record Shaping(boolean maskTruncated, OverlongPenalty overlong, int dynamicSamplingRounds) {
    public static final Shaping NONE = new Shaping(false, null, 0);

    public Shaping {
      if (dynamicSamplingRounds < 0) {
        throw new IllegalArgumentException("GroupConfig: dynamicSamplingRounds must be >= 0, got " + dynamicSamplingRounds);
      }
    }
  }

  /** How group rewards become advantages. */
  public sealed interface Advantage permits Rloo, Grpo {
    /** Advantages (P, K) from rewards (P, K). */
    Tensor of(Tensor rewards);
  }

  /** Leave-one-out baseline (RLOO). */
  public record Rloo() implements Advantage {
    @Override public Tensor of(Tensor rewards) { return GroupAdvantages.rloo(rewards); }
  }

  /** Group-normalised (GRPO); {@code scaleByStd = false} is Dr. GRPO. */
  public record Grpo(GroupAdvantages.GrpoConfig config) implements Advantage {
    public Grpo {
      if (config == null) throw new IllegalArgumentException("GroupConfig.Grpo: config is required");
    }

    @Override public Tensor of(Tensor rewards) {
      return GroupAdvantages.grpo(config, rewards);
    }
  }

  public GroupConfig {
    positive("iterations", iterations);
    positive("promptsPerIteration", promptsPerIteration);
    positive("maxNewTokens", maxNewTokens);
    positive("epochs", epochs);
    positive("numMiniBatches", numMiniBatches);
    positive("forwardBatchSize", forwardBatchSize);
    if (k < 2) throw new IllegalArgumentException("GroupConfig: k must be >= 2 completions per prompt, got " + k);
    if ((promptsPerIteration * k) % numMiniBatches != 0) {
      throw new IllegalArgumentException("GroupConfig: batch " + promptsPerIteration * k + " (prompts x k) is not divisible by numMiniBatches " + numMiniBatches);
    }
    if (!(temperature > 0)) throw new IllegalArgumentException("GroupConfig: temperature must be > 0, got " + temperature);
    if (!(missingEosPenalty >= 0)) throw new IllegalArgumentException("GroupConfig: missingEosPenalty must be >= 0, got " + missingEosPenalty);
    if (!(klCoef >= 0)) throw new IllegalArgumentException("GroupConfig: klCoef must be >= 0, got " + klCoef);
    if (advantage == null || loss == null || train == null) throw new IllegalArgumentException("GroupConfig: advantage, loss and train are required");
    stopIds = stopIds == null ? Set.of() : Set.copyOf(stopIds);
    shaping = shaping == null ? Shaping.NONE : shaping;
    int mb = promptsPerIteration * k / numMiniBatches;
    if (mb % train.gradAccumulation() != 0) {
      throw new IllegalArgumentException("GroupConfig: minibatch " + mb + " is not divisible by gradAccumulation " + train.gradAccumulation());
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException("GroupConfig: " + name + " must be >= 1, got " + v);
  }

  /**
   * TRL RLOOTrainer (classic) defaults: k (rloo_k) 2, kl_coef 0.05 on the sequence KL, clip 0.2,
   * 4 epochs (num_ppo_epochs), token-mean loss, temperature 0.7, 53 new tokens, lr 3e-6 linear.
   */
  public static GroupConfig rloo(Path outputDir) {
    TrainConfig t = TrainConfig.defaults(outputDir).toBuilder().lr(3e-6).schedule(Schedule.LINEAR).minLrRatio(0).build();
    return new GroupConfig(100, 4, 2, 53, 0.7, Set.of(), 0, new Rloo(), 0.05,
        new GrpoLoss.Config(0.2, 0.2, 0.0, new GrpoLoss.TokenMean()), 4, 1, 64, t, Shaping.NONE);
  }

  /**
   * TRL GRPOTrainer defaults: k (num_generations) 8, beta 0.0 (no reference model is loaded),
   * epsilon 0.2, one update per batch (num_iterations 1), rewards scaled by the group std,
   * "dapo" loss (token mean over each optimizer step's batch), temperature 1.0, 256 new tokens,
   * lr 1e-6 linear.
   */
  public static GroupConfig grpo(Path outputDir) {
    TrainConfig t = TrainConfig.defaults(outputDir).toBuilder().lr(1e-6).schedule(Schedule.LINEAR).minLrRatio(0).build();
    return new GroupConfig(100, 1, 8, 256, 1.0, Set.of(), 0, new Grpo(GroupAdvantages.GrpoConfig.DEFAULT), 0.0,
        new GrpoLoss.Config(0.2, 0.2, 0.0, new GrpoLoss.GlobalTokenMean()), 1, 1, 64, t, Shaping.NONE);
  }

  public int batchSize() { return promptsPerIteration * k; }

  public int updatesPerIteration() { return epochs * numMiniBatches; }

  /** Whether rollouts need the reference's log-probs. */
  public boolean needsReference() { return klCoef > 0 || loss.beta() > 0; }

  /** The on-policy loop's layout: k responses per prompt. */
  public OnPolicyLoop.Layout layout() {
    return new OnPolicyLoop.Layout(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds,
        missingEosPenalty, epochs, numMiniBatches, train);
  }

  public GroupConfig with(int iterations, int promptsPerIteration, int k, int maxNewTokens) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }

  public GroupConfig withSampling(double temperature, Set<Integer> stopIds, double missingEosPenalty) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }

  public GroupConfig withObjective(Advantage advantage, double klCoef, GrpoLoss.Config loss) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }

  public GroupConfig withUpdates(int epochs, int numMiniBatches) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }

  /** The same run with DAPO's rollout shaping. */
  public GroupConfig withShaping(Shaping shaping) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }

  public GroupConfig withTrain(TrainConfig train) {
    return new GroupConfig(iterations, promptsPerIteration, k, maxNewTokens, temperature, stopIds, missingEosPenalty,
        advantage, klCoef, loss, epochs, numMiniBatches, forwardBatchSize, train, shaping);
  }
}

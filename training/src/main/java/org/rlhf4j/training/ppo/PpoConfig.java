package org.rlhf4j.training.ppo;

import java.nio.file.Path;
import java.util.Set;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.KlEstimator;
import org.rlhf4j.training.loss.PpoLoss;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.rollout.OnPolicyLoop;

/**
 * PPO settings (TRL PPOConfig names in brackets). One iteration samples {@code batchSize}
 * prompts' responses, then runs {@code ppoEpochs} passes over {@code numMiniBatches} shuffled
 * minibatches (one optimizer step each; the loop's gradAccumulation splits a minibatch further).
 *
 * @param iterations        rollout batches of the run; the loop's maxSteps becomes
 *                          iterations * ppoEpochs * numMiniBatches and it logs once per iteration
 * @param batchSize         prompts per rollout batch (batch_size = 8 with TRL's defaults)
 * @param numMiniBatches    [num_mini_batches] 1
 * @param ppoEpochs         [num_ppo_epochs] 4
 * @param maxNewTokens      [response_length] 53
 * @param temperature       [temperature] 0.7 (log-probs use logits / (temperature + 1e-7), as TRL)
 * @param stopIds           [stop_token] responses end at the first of these (empty: tokenizer's stop ids)
 * @param missingEosPenalty [missing_eos_penalty] subtracted from the score of responses without a stop token; 0 = off
 * @param klEstimator       [kl_estimator] K1
 * @param kl                [kl_coef] Fixed(0.05); Adaptive for Ziegler et al.'s controller
 * @param loss              [cliprange, cliprange_value, vf_coef] 0.2, 0.2, 0.1
 * @param gae               [gamma, lam] 1.0, 0.95
 * @param whitenRewards     [whiten_rewards] false (advantages are always whitened, as TRL)
 * @param critic            how the value head learns: {@link Critic#SHARED} by default
 * @param forwardBatchSize  [local_rollout_forward_batch_size] 64 rows per no-grad rollout forward
 * @param train             the loop: lr [learning_rate] 3e-6 linear to 0, clip 1.0, seed, output, checkpoints
 */
public record PpoConfig(int iterations, int batchSize, int numMiniBatches, int ppoEpochs, int maxNewTokens,
    double temperature, Set<Integer> stopIds, double missingEosPenalty, KlEstimator klEstimator, KlController kl,
    PpoLoss.Config loss, Gae.Config gae, boolean whitenRewards, Critic critic, int forwardBatchSize, TrainConfig train) {

  /**
   * The value head's training.
   *
   * @param detached its loss trains the head alone: the policy's hidden states reach it without gradient, as TRL's
   *                 separate value model never moves the policy; false = the value loss also trains the shared
   *                 backbone (the older AutoModelForCausalLMWithValueHead)
   * @param lrScale  the head's learning rate over the policy's (OpenRLHF's critic_learning_rate / actor_learning_rate):
   *                 a freshly initialised linear head at the policy's small rate barely moves in a short run
   */
  public record Critic(boolean detached, double lrScale) {
    /** The value loss trains the backbone too, at the policy's learning rate. */
    public static final Critic SHARED = new Critic(false, 1.0);

    public Critic {
      if (!(lrScale > 0) || !Double.isFinite(lrScale)) {
        throw new IllegalArgumentException("PpoConfig.Critic: lrScale must be > 0, got " + lrScale);
      }
    }
  }

  public PpoConfig {
    positive("iterations", iterations);
    positive("batchSize", batchSize);
    positive("numMiniBatches", numMiniBatches);
    positive("ppoEpochs", ppoEpochs);
    positive("maxNewTokens", maxNewTokens);
    positive("forwardBatchSize", forwardBatchSize);
    if (batchSize % numMiniBatches != 0) {
      throw new IllegalArgumentException("PpoConfig: batchSize " + batchSize + " is not divisible by numMiniBatches " + numMiniBatches);
    }
    if (!(temperature > 0)) throw new IllegalArgumentException("PpoConfig: temperature must be > 0, got " + temperature);
    if (!(missingEosPenalty >= 0)) throw new IllegalArgumentException("PpoConfig: missingEosPenalty must be >= 0, got " + missingEosPenalty);
    stopIds = stopIds == null ? Set.of() : Set.copyOf(stopIds);
    if (klEstimator == null || kl == null || loss == null || gae == null || critic == null || train == null) {
      throw new IllegalArgumentException("PpoConfig: klEstimator, kl, loss, gae, critic and train are required");
    }
    int mb = batchSize / numMiniBatches;
    if (mb % train.gradAccumulation() != 0) {
      throw new IllegalArgumentException("PpoConfig: minibatch size " + mb + " is not divisible by gradAccumulation " + train.gradAccumulation());
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException("PpoConfig: " + name + " must be >= 1, got " + v);
  }

  /** TRL's PPOConfig defaults (see the parameter list), 100 iterations. */
  public static PpoConfig defaults(Path outputDir) {
    TrainConfig t = TrainConfig.defaults(outputDir).toBuilder().lr(3e-6).schedule(Schedule.LINEAR).minLrRatio(0).build();
    return new PpoConfig(100, 8, 1, 4, 53, 0.7, Set.of(), 0, KlEstimator.K1, new KlController.Fixed(0.05),
        PpoLoss.Config.DEFAULT, Gae.Config.DEFAULT, false, Critic.SHARED, 64, t);
  }

  /** Optimizer steps per rollout batch. */
  public int updatesPerIteration() { return ppoEpochs * numMiniBatches; }

  public int miniBatchSize() { return batchSize / numMiniBatches; }

  /** The on-policy loop's layout: one response per prompt. */
  public OnPolicyLoop.Layout layout() {
    return new OnPolicyLoop.Layout(iterations, batchSize, 1, maxNewTokens, temperature, stopIds, missingEosPenalty,
        ppoEpochs, numMiniBatches, train);
  }

  public PpoConfig with(int iterations, int batchSize, int numMiniBatches, int ppoEpochs, int maxNewTokens) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }

  public PpoConfig withSampling(double temperature, Set<Integer> stopIds, double missingEosPenalty) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }

  public PpoConfig withKl(KlEstimator estimator, KlController kl) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, estimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }

  public PpoConfig withLoss(PpoLoss.Config loss, Gae.Config gae, boolean whitenRewards) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }

  public PpoConfig withCritic(Critic critic) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }

  public PpoConfig withForwardBatchSize(int rows) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, rows, train);
  }

  public PpoConfig withTrain(TrainConfig train) {
    return new PpoConfig(iterations, batchSize, numMiniBatches, ppoEpochs, maxNewTokens, temperature, stopIds,
        missingEosPenalty, klEstimator, kl, loss, gae, whitenRewards, critic, forwardBatchSize, train);
  }
}

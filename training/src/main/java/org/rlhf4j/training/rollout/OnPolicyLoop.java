package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.loop.CheckpointIO;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loop.Trainer;

/**
 * The on-policy loop PPO, RLOO and GRPO share, on top of the one training loop ({@link Trainer}). Each iteration
 * draws a batch of prompts (each repeated {@code samplesPerPrompt} times, prompt-major), samples and scores
 * responses ({@link Samples}), hands them to the algorithm to prepare (no-grad forwards, rewards, advantages:
 * {@link Algorithm#prepare}), then runs {@code epochs} passes over {@code miniBatches} shuffled minibatches, one
 * optimizer step each ({@link Algorithm#update} per micro-batch). The loop owns the prompt sampler, the update
 * cursor (saved in checkpoints, so a run resumed at an iteration boundary continues exactly), the per-iteration
 * history, the {@code time/*} metrics and the rollout hook. Data-parallel ({@link RankShare}: the process joined a
 * {@code runtime.Distributed} group): each rank samples its contiguous share of every iteration's prompts, each
 * response from its own stream keyed by its row in the whole rollout ({@link Samples#drawPerRow}, so the rollout is
 * the one a single rank would sample), prepares and updates on its rows; rollout metrics are the ranks' mean.
 *
 * @param <B> the algorithm's prepared rollout
 */
public final class OnPolicyLoop<B extends OnPolicyLoop.Rollout> implements TrainStep {

  /** A prepared rollout: its samples and the iteration's metrics (the loop adds timings and the hook's numbers). */
  public interface Rollout {
    Samples samples();

    Map<String, Double> metrics();
  }

  /** What one on-policy algorithm adds to the loop. */
  public interface Algorithm<B extends Rollout> {
    /** Prepares scored samples for the updates; called under no-grad inside a native scope that closes after it. */
    B prepare(int iteration, Samples samples);

    /**
     * The loss of one micro-batch on {@code rows} of the rollout (with gradients); its metrics are logged beside the
     * rollout's.
     */
    StepResult update(B rollout, List<Integer> rows);
  }

  /**
   * The shape of a run.
   *
   * @param iterations          rollout batches
   * @param promptsPerIteration distinct prompts per rollout batch
   * @param samplesPerPrompt    responses sampled for each (1 for PPO, k for RLOO/GRPO)
   * @param epochs              passes over each rollout batch
   * @param miniBatches         optimizer steps per pass
   * @param train               the loop's settings (its maxSteps/logEvery are derived, see {@link #loopConfig})
   */
  public record Layout(int iterations, int promptsPerIteration, int samplesPerPrompt, int maxNewTokens,
      double temperature, Set<Integer> stopIds, double missingEosPenalty, int epochs, int miniBatches,
      TrainConfig train) {
    public Layout {
      stopIds = stopIds == null ? Set.of() : Set.copyOf(stopIds);
      if (train == null) throw new IllegalArgumentException("Layout: train is required");
    }

    /** Responses per rollout batch. */
    public int batchSize() { return promptsPerIteration * samplesPerPrompt; }

    /** Optimizer steps per rollout batch. */
    public int updatesPerIteration() { return epochs * miniBatches; }

    /** The loop's config: maxSteps = iterations x updates, one log line and any checkpoint at iteration ends. */
    public TrainConfig loopConfig() {
      int u = updatesPerIteration();
      int save = train.saveEvery() == 0 ? 0 : Math.max(u, train.saveEvery() / u * u);
      return train.toBuilder().maxSteps(iterations * u).logEvery(u).saveEvery(save).build();
    }
  }

  private final CausalLM policy;
  private final Scorer scorer;
  private final List<long[]> prompts;
  private final int padId;
  private final Layout layout;
  private final RolloutHook hook;
  private final Algorithm<B> algorithm;
  private final UpdateCursor cursor;
  private final BatchSampler promptSampler;
  private final RankShare share = RankShare.current();
  private final List<Map<String, Double>> history = new ArrayList<>();
  private B rollout;
  private int rolloutIteration = -1;
  private long lastCallNanos;
  private double lastUpdateSeconds, rolloutSeconds;

  /** {@code hook} may be null. */
  public OnPolicyLoop(CausalLM policy, Scorer scorer, List<long[]> prompts, int padId, Layout layout,
      RolloutHook hook, Algorithm<B> algorithm) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("on-policy training needs at least one prompt");
    this.policy = policy;
    this.scorer = scorer;
    this.prompts = List.copyOf(prompts);
    this.padId = padId;
    this.layout = layout;
    this.hook = hook;
    this.algorithm = algorithm;
    long seed = layout.train().seed();
    this.cursor = new UpdateCursor(layout.epochs(), layout.miniBatches(), seed);
    this.promptSampler = BatchSampler.filling(prompts.size(), layout.promptsPerIteration(), seed);
    if (share.active()) shard(layout);
  }

  /** This rank's share of every iteration's prompts; its rows must split into the minibatches and micro-batches. */
  private void shard(Layout layout) {
    int n = share.ranks(), p = layout.promptsPerIteration();
    if (p % n != 0) {
      throw new IllegalArgumentException("batch_size " + p + " (prompts per iteration, all ranks together) does not divide into " + n
          + " data-parallel ranks");
    }
    int rows = p / n * layout.samplesPerPrompt(), parts = layout.miniBatches() * layout.train().gradAccumulation();
    if (rows % parts != 0) {
      throw new IllegalArgumentException("each of the " + n + " data-parallel ranks holds " + rows + " rollout rows, which do not split "
          + "into num_mini_batches x grad_accumulation = " + parts + " micro-batches");
    }
    promptSampler.shard(share.rank(), n);
  }

  /** Trains through the one loop: {@code trainable}'s parameters are optimized, {@code io} writes checkpoints. */
  public TrainResult run(HasParameters trainable, CheckpointIO io) {
    return new Trainer(layout.loopConfig(), trainable, this, cursor, io, null)
        .progressIn("iteration", layout.updatesPerIteration()).run();
  }

  /** Rollout metrics of each iteration this loop ran. */
  public List<Map<String, Double>> history() { return List.copyOf(history); }

  @Override public StepResult step(int micro) {
    long now = System.nanoTime();
    if (micro == 0 && lastCallNanos != 0) lastUpdateSeconds = (now - lastCallNanos) / 1e9;
    if (micro == 0 && rolloutIteration != cursor.iteration()) {
      rollout = rollout(cursor.iteration());
      rolloutIteration = cursor.iteration();
      now = System.nanoTime(); // the rollout is timed separately
    }
    if (micro == 0) lastCallNanos = now;
    int accum = layout.train().gradAccumulation();
    List<Integer> mb = cursor.miniBatchRows(rollout.samples().size());
    int size = mb.size() / accum;
    StepResult r = algorithm.update(rollout, mb.subList(micro * size, (micro + 1) * size));
    if (micro == accum - 1) cursor.advance();
    Map<String, Double> m = new LinkedHashMap<>(rollout.metrics());
    m.putAll(r.metrics());
    // estimated: updates per iteration x wall time of the latest complete update (forward, backward, optimizer)
    if (lastUpdateSeconds > 0) {
      double training = lastUpdateSeconds * layout.updatesPerIteration();
      m.put("time/training", training);
      // TRL's eps: episodes (sampled responses) per second of this iteration (rollout + estimated updates); a timing,
      // so logged with the step but kept out of the rollout history, which is deterministic for a seed
      m.put("eps", rollout.samples().size() / (rolloutSeconds + training));
    }
    return new StepResult(r.loss(), m, r.tokens());
  }

  private B rollout(int iteration) {
    promptSampler.seek(iteration);
    List<long[]> batch = new ArrayList<>(layout.batchSize());
    for (int i : promptSampler.next()) for (int j = 0; j < layout.samplesPerPrompt(); j++) batch.add(prompts.get(i));
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      Samples s = !share.active() ? Samples.draw(policy, scorer, batch, padId, layout.maxNewTokens(), layout.temperature(),
          layout.stopIds(), cursor.samplingSeed(), layout.missingEosPenalty())
          : Samples.drawPerRow(policy, scorer, batch, padId, layout.maxNewTokens(), layout.temperature(), layout.stopIds(),
              cursor.samplingSeed(), share.rank() * batch.size(), layout.missingEosPenalty());
      long t0 = System.nanoTime();
      B b = algorithm.prepare(iteration, s);
      Map<String, Double> m = b.metrics();
      m.put("time/generation", s.generationSeconds());
      m.put("time/scoring", s.scoringSeconds());
      m.put("time/forward", (System.nanoTime() - t0) / 1e9);
      rolloutSeconds = s.generationSeconds() + s.scoringSeconds() + m.get("time/forward");
      if (hook != null) m.putAll(hook.onRollout(iteration, s.prompts(), s.responses(), s.scores()));
      share.average(m);
      history.add(Map.copyOf(m));
      return b;
    }
  }
}

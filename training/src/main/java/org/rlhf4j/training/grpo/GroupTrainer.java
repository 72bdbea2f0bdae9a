package org.rlhf4j.training.grpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.loss.LogProbs;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.ppo.EpochSampler;
import org.rlhf4j.training.ppo.PolicyCheckpoint;
import org.rlhf4j.training.ppo.ResponseBatch;
import org.rlhf4j.training.ppo.RolloutHook;
import org.rlhf4j.training.ppo.Rollouts;
import org.rlhf4j.training.ppo.Samples;
import org.rlhf4j.training.ppo.Scorer;
import org.rlhf4j.training.ppo.UpdateCursor;

/**
 * RLOO and GRPO on the shared loop: k sampled completions per prompt, scored; advantages from
 * the group (leave-one-out or group-normalised, {@link GroupConfig.Advantage}); clipped policy
 * loss ({@link GrpoLoss}) with the reference as a reward-level k1 penalty (RLOO, klCoef) or a
 * k3 loss term (GRPO, beta). No value model. One metrics.jsonl line per iteration: TRL's GRPO
 * names ({@code reward}, {@code reward_std}, {@code kl}, {@code clip_ratio}, {@code entropy},
 * {@code completions/mean_length}) plus the PPO-style {@code objective/scores},
 * {@code objective/kl}, {@code response_length_mean} and {@code time/*} the run doctor reads.
 */
public final class GroupTrainer {
  /** The loop's outcome and per-iteration rollout metrics. */
  public record GroupResult(TrainResult train, List<Map<String, Double>> history) {
    /** Mean score ({@code objective/scores}) of each iteration. */
    public double[] scores() { return history.stream().mapToDouble(m -> m.get("objective/scores")).toArray(); }
  }

  private final CausalLM policy, ref;
  private final Scorer scorer;
  private final List<long[]> prompts;
  private final int padId;
  private final GroupConfig cfg;
  private final RolloutHook hook;
  private final UpdateCursor cursor;
  private final EpochSampler promptSampler;
  private final List<Map<String, Double>> history = new ArrayList<>();
  private GroupBuffer buffer;
  private long lastCallNanos;
  private double lastUpdateSeconds;

  private GroupTrainer(CausalLM policy, CausalLM ref, Scorer scorer, List<long[]> prompts, int padId, GroupConfig cfg,
      RolloutHook hook) {
    this.policy = policy.requiresGrad(true);
    this.ref = ref != null ? ref : cfg.needsReference() ? policy.copy(policy.dtype()) : null;
    if (this.ref != null) this.ref.requiresGrad(false);
    this.scorer = scorer;
    this.prompts = List.copyOf(prompts);
    this.padId = padId;
    this.cfg = cfg;
    this.hook = hook;
    this.cursor = new UpdateCursor(cfg.epochs(), cfg.numMiniBatches(), cfg.train().seed());
    this.promptSampler = new EpochSampler(prompts.size(), cfg.promptsPerIteration(), cfg.train().seed(), true);
  }

  /** With the tokenizer's pad id, and its stop ids when {@code cfg.stopIds()} is empty. */
  public static GroupResult run(CausalLM policy, CausalLM reference, Scorer scorer, List<long[]> prompts,
      Tokenizer tok, GroupConfig cfg) {
    GroupConfig c = cfg.stopIds().isEmpty() ? cfg.withSampling(cfg.temperature(), tok.stopIds(), cfg.missingEosPenalty()) : cfg;
    return run(policy, reference, scorer, prompts, tok.padId(), c, null);
  }

  /**
   * Trains {@code policy} in place. {@code reference} is frozen here; null = a frozen copy of the
   * policy when the config needs one (klCoef or beta > 0). {@code hook} may be null.
   */
  public static GroupResult run(CausalLM policy, CausalLM reference, Scorer scorer, List<long[]> prompts, int padId,
      GroupConfig cfg, RolloutHook hook) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("RLOO/GRPO needs at least one prompt");
    GroupTrainer t = new GroupTrainer(policy, reference, scorer, prompts, padId, cfg, hook);
    TrainResult r = new Trainer(cfg.loopConfig(), t.policy, t::step, t.cursor, new PolicyCheckpoint(t.policy, null), null).run();
    return new GroupResult(r, List.copyOf(t.history));
  }

  private StepResult step(int micro) {
    long now = System.nanoTime();
    if (micro == 0 && lastCallNanos != 0) lastUpdateSeconds = (now - lastCallNanos) / 1e9;
    if (micro == 0 && (buffer == null || buffer.iteration != cursor.iteration())) {
      buffer = rollout(cursor.iteration());
      now = System.nanoTime(); // the rollout is timed separately
    }
    if (micro == 0) lastCallNanos = now;
    int accum = cfg.train().gradAccumulation();
    List<Integer> mb = cursor.miniBatchRows(buffer.samples.size());
    int size = mb.size() / accum;
    StepResult r = update(mb.subList(micro * size, (micro + 1) * size));
    if (micro == accum - 1) cursor.advance();
    return r;
  }

  private GroupBuffer rollout(int iteration) {
    promptSampler.seek(iteration);
    List<long[]> batch = new ArrayList<>();
    for (int i : promptSampler.next()) for (int j = 0; j < cfg.k(); j++) batch.add(prompts.get(i)); // prompt-major
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      Samples s = Samples.draw(policy, scorer, batch, padId, cfg.maxNewTokens(), cfg.temperature(), cfg.stopIds(),
          cursor.samplingSeed(), cfg.missingEosPenalty());
      long t0 = System.nanoTime();
      int chunk = cfg.forwardBatchSize();
      float[] old = cfg.epochs() > 1 || cfg.klCoef() > 0 ? Rollouts.logprobs(policy, s, padId, cfg.temperature(), chunk) : null;
      float[] rl = ref != null && cfg.needsReference() ? Rollouts.logprobs(ref, s, padId, cfg.temperature(), chunk) : null;
      GroupBuffer b = new GroupBuffer(iteration, s, Rollouts.width(s), old, rl);
      double forwardSeconds = (System.nanoTime() - t0) / 1e9;
      GroupRewards.fill(b, cfg, policy.device());
      b.metrics.put("time/generation", s.generationSeconds());
      b.metrics.put("time/scoring", s.scoringSeconds());
      b.metrics.put("time/forward", forwardSeconds);
      if (hook != null) b.metrics.putAll(hook.onRollout(iteration, s.prompts(), s.responses(), s.scores()));
      history.add(Map.copyOf(b.metrics));
      return b;
    }
  }

  private StepResult update(List<Integer> rows) {
    ResponseBatch rb = buffer.batch(rows, padId, policy.device());
    Tensor mask = rb.responseMask(); // (b, R)
    ResponseBatch.Forward f = rb.forward(policy, cfg.temperature());
    Tensor refRows = cfg.loss().beta() > 0 ? buffer.rows(buffer.refLogps, rows, policy.device()) : null; // (b, R)
    GrpoLoss.Result res = GrpoLoss.compute(cfg.loss(), f.logprobs(), buffer.rows(buffer.oldLogps, rows, policy.device()),
        refRows, buffer.advantages(rows, policy.device()), mask);
    Map<String, Double> m = new LinkedHashMap<>(buffer.metrics);
    if (cfg.loss().beta() > 0) m.put("kl", res.metrics().kl());
    m.put("clip_ratio", res.metrics().clipRatio());
    m.put("entropy", Masked.mean(LogProbs.entropy(f.logits().detach()), mask).item_double());
    if (lastUpdateSeconds > 0) m.put("time/training", lastUpdateSeconds * cfg.updatesPerIteration());
    return new StepResult(res.loss(), m, (long) Masked.sum(mask, mask).item_double());
  }

  /** Group advantages (P, K) from the scores, minus the reward-level KL penalty when klCoef > 0. */
  static final class GroupRewards {
    private GroupRewards() {}

    static void fill(GroupBuffer b, GroupConfig cfg, org.rlhf4j.runtime.Device device) {
      Samples s = b.samples;
      double[] seqKl = new double[s.size()];
      if (b.refLogps != null && b.oldLogps != null) {
        for (int i = 0; i < s.size(); i++) {
          for (int t = 0; t < s.responses().get(i).length; t++) seqKl[i] += b.oldLogps[i * b.width + t] - b.refLogps[i * b.width + t];
        }
      }
      float[] rewards = new float[s.size()];
      for (int i = 0; i < rewards.length; i++) rewards[i] = (float) (s.scores()[i] - cfg.klCoef() * seqKl[i]);
      Tensor r = Tensors.floats(rewards, device, cfg.promptsPerIteration(), cfg.k()); // (P, K)
      Tensor adv = cfg.advantage() instanceof GroupConfig.Grpo g ? GroupAdvantages.grpo(g.config(), r)
          : GroupAdvantages.rloo(r); // (P, K)
      b.rowAdvantages = Tensors.toFloats(adv);
      double meanKl = java.util.Arrays.stream(seqKl).average().orElse(0);
      b.metrics.put("reward", mean(rewards));
      b.metrics.put("reward_std", r.std().item_double());
      b.metrics.put("objective/scores", s.meanScore());
      if (b.refLogps != null && b.oldLogps != null) b.metrics.put("objective/kl", meanKl);
      b.metrics.put("completions/mean_length", s.meanResponseLength());
      b.metrics.put("response_length_mean", s.meanResponseLength());
      b.metrics.put("val/num_eos_tokens", (double) s.numFinished());
    }

    private static double mean(float[] xs) {
      double t = 0;
      for (float x : xs) t += x;
      return t / xs.length;
    }
  }
}

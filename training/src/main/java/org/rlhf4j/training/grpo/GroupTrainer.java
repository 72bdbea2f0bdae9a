package org.rlhf4j.training.grpo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.loss.LogProbs;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.rollout.OnPolicyLoop;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.RolloutHook;
import org.rlhf4j.training.rollout.RolloutRows;
import org.rlhf4j.training.rollout.Samples;
import org.rlhf4j.training.rollout.Scorer;

/**
 * RLOO and GRPO on the shared on-policy loop ({@link OnPolicyLoop}): k sampled completions per prompt, scored;
 * advantages from the group (leave-one-out or group-normalised, {@link GroupConfig.Advantage}); clipped policy
 * loss ({@link GrpoLoss}) with the reference as a reward-level k1 penalty (RLOO, klCoef) or a k3 loss term (GRPO,
 * beta). No value model. One metrics.jsonl line per iteration: TRL's GRPO names ({@code reward},
 * {@code reward_std}, {@code kl}, {@code clip_ratio}, {@code entropy}, {@code completions/mean_length}) plus the
 * PPO-style {@code objective/scores}, {@code objective/kl}, {@code response_length_mean} and {@code time/*} the
 * run doctor reads.
 */
public final class GroupTrainer implements OnPolicyLoop.Algorithm<GroupTrainer.Rollout> {
  /** The loop's outcome and per-iteration rollout metrics. */
  public record GroupResult(TrainResult train, List<Map<String, Double>> history) {
    /** Mean score ({@code objective/scores}) of each iteration. */
    public double[] scores() { return history.stream().mapToDouble(m -> m.get("objective/scores")).toArray(); }
  }

  /** One scored group rollout: per-token arrays (B*R) and one advantage per row. */
  record Rollout(RolloutRows rows, float[] oldLogps, float[] refLogps, float[] advantages, Map<String, Double> metrics)
      implements OnPolicyLoop.Rollout {
    @Override public Samples samples() { return rows.samples(); }
  }

  private final CausalLM policy, ref;
  private final int padId;
  private final GroupConfig cfg;

  private GroupTrainer(CausalLM policy, CausalLM ref, int padId, GroupConfig cfg) {
    this.policy = policy.requiresGrad(true);
    this.ref = ref != null ? ref : cfg.needsReference() ? policy.copy(policy.dtype()) : null;
    if (this.ref != null) this.ref.requiresGrad(false);
    this.padId = padId;
    this.cfg = cfg;
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
    GroupTrainer t = new GroupTrainer(policy, reference, padId, cfg);
    OnPolicyLoop<Rollout> loop = new OnPolicyLoop<>(t.policy, scorer, prompts, padId, cfg.layout(), hook, t);
    TrainResult r = loop.run(t.policy, ModelCheckpoint.of(t.policy));
    return new GroupResult(r, loop.history());
  }

  @Override public Rollout prepare(int iteration, Samples s) {
    RolloutRows rows = new RolloutRows(s);
    int chunk = cfg.forwardBatchSize();
    float[] old = cfg.epochs() > 1 || cfg.klCoef() > 0 ? rows.logprobs(policy, padId, cfg.temperature(), chunk) : null;
    float[] rl = ref != null && cfg.needsReference() ? rows.logprobs(ref, padId, cfg.temperature(), chunk) : null;
    Map<String, Double> m = new LinkedHashMap<>();
    float[] adv = advantages(rows, old, rl, m, policy.device());
    return new Rollout(rows, old, rl, adv, m);
  }

  @Override public StepResult update(Rollout b, List<Integer> rows) {
    Device device = policy.device();
    ResponseBatch rb = b.rows().batch(rows, padId, device);
    Tensor mask = rb.responseMask(); // (b, R)
    ResponseBatch.Forward f = rb.forward(policy, cfg.temperature());
    Tensor refRows = cfg.loss().beta() > 0 ? b.rows().rows(b.refLogps(), rows, device) : null; // (b, R)
    GrpoLoss.Result res = GrpoLoss.compute(cfg.loss(), f.logprobs(), b.rows().rows(b.oldLogps(), rows, device),
        refRows, b.rows().perRow(b.advantages(), rows, device), mask);
    Map<String, Double> m = new LinkedHashMap<>();
    if (cfg.loss().beta() > 0) m.put("kl", res.metrics().kl());
    m.put("clip_ratio", res.metrics().clipRatio());
    m.put("entropy", Masked.mean(LogProbs.entropy(f.logits().detach()), mask).item_double());
    return new StepResult(res.loss(), m, (long) Masked.sum(mask, mask).item_double());
  }

  /** Group advantages (P, K) from the scores, minus the reward-level KL penalty when klCoef > 0; fills the metrics. */
  private float[] advantages(RolloutRows rows, float[] old, float[] ref, Map<String, Double> m, Device device) {
    Samples s = rows.samples();
    int w = rows.width();
    double[] seqKl = new double[s.size()];
    if (ref != null && old != null) {
      for (int i = 0; i < s.size(); i++) {
        for (int t = 0; t < s.responses().get(i).length; t++) seqKl[i] += old[i * w + t] - ref[i * w + t];
      }
    }
    float[] rewards = new float[s.size()];
    for (int i = 0; i < rewards.length; i++) rewards[i] = (float) (s.scores()[i] - cfg.klCoef() * seqKl[i]);
    Tensor r = Tensors.floats(rewards, device, cfg.promptsPerIteration(), cfg.k()); // (P, K)
    Tensor adv = cfg.advantage().of(r); // (P, K)
    double reward = 0;
    for (float x : rewards) reward += x;
    m.put("reward", reward / rewards.length);
    m.put("reward_std", r.std().item_double());
    m.put("objective/scores", s.meanScore());
    if (ref != null && old != null) m.put("objective/kl", java.util.Arrays.stream(seqKl).average().orElse(0));
    m.put("completions/mean_length", s.meanResponseLength());
    m.put("response_length_mean", s.meanResponseLength());
    m.put("val/num_eos_tokens", (double) s.numFinished());
    return Tensors.toFloats(adv);
  }
}

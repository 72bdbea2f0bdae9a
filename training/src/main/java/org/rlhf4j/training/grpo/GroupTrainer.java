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
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.loss.OverlongPenalty;
import org.rlhf4j.training.rollout.OnPolicyLoop;
import org.rlhf4j.training.rollout.RankShare;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.RolloutHook;
import org.rlhf4j.training.rollout.RolloutRows;
import org.rlhf4j.training.rollout.Samples;
import org.rlhf4j.training.rollout.Scorer;

/**
 * RLOO and GRPO on the shared on-policy loop ({@link OnPolicyLoop}): k sampled completions per prompt, scored;
 * advantages from the group (leave-one-out or group-normalised, {@link GroupConfig.Advantage}); clipped policy
 * loss ({@link GrpoLoss}) with the reference as a reward-level k1 penalty (RLOO, klCoef) or a k3 loss term (GRPO,
 * beta); DAPO's rollout shaping ({@link GroupConfig.Shaping}: truncated completions masked, soft overlong
 * penalty, dynamic sampling). No value model; beta = 0 loads no reference. One metrics.jsonl line per
 * iteration: TRL's GRPO names ({@code reward}, {@code reward_std}, {@code frac_reward_zero_std}, {@code kl},
 * {@code clip_ratio/low_mean}, {@code clip_ratio/high_mean}, {@code clip_ratio/region_mean},
 * {@code clip_ratio/low_min}, {@code clip_ratio/high_max}, {@code entropy}, {@code num_tokens},
 * {@code completions/mean_length}, {@code completions/clipped_ratio}) plus {@code clip_ratio} (the region
 * mean, as before) and the PPO-style {@code objective/scores}, {@code objective/kl},
 * {@code response_length_mean} and {@code time/*} the run doctor reads.
 */
public final class GroupTrainer implements OnPolicyLoop.Algorithm<GroupTrainer.Rollout> {
  /** The loop's outcome and per-iteration rollout metrics. */
  public record GroupResult(TrainResult train, List<Map<String, Double>> history) {
    /** Mean score ({@code objective/scores}) of each iteration. */
    public double[] scores() { return history.stream().mapToDouble(m -> m.get("objective/scores")).toArray(); }
  }

  /**
   * One scored group rollout: per-token arrays (B*R), one advantage and one loss weight (1 counts, 0 masked) per
   * row, and the token count a global token mean ("dapo") divides each micro-batch's sum by.
   */
  record Rollout(RolloutRows rows, float[] oldLogps, float[] refLogps, float[] advantages, float[] weights,
      double microBatchTokens, Map<String, Double> metrics) implements OnPolicyLoop.Rollout {
    @Override public Samples samples() { return rows.samples(); }
  }

  private final CausalLM policy, ref;
  private final Scorer scorer;
  private final List<long[]> prompts;
  private final int padId;
  private final GroupConfig cfg;
  private long tokensSeen;
  private final RankShare share = RankShare.current();

  private GroupTrainer(CausalLM policy, CausalLM ref, Scorer scorer, List<long[]> prompts, int padId, GroupConfig cfg) {
    this.policy = policy.requiresGrad(true);
    this.ref = !cfg.needsReference() ? null : ref != null ? ref : policy.frozenReference();
    if (this.ref != null) this.ref.requiresGrad(false);
    this.scorer = scorer;
    this.prompts = List.copyOf(prompts);
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
   * policy when the config needs one (klCoef or beta > 0); ignored when it needs none. {@code hook} may be null.
   */
  public static GroupResult run(CausalLM policy, CausalLM reference, Scorer scorer, List<long[]> prompts, int padId,
      GroupConfig cfg, RolloutHook hook) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("RLOO/GRPO needs at least one prompt");
    if (RankShare.current().active() && cfg.shaping().dynamicSamplingRounds() > 0) {
      throw new IllegalArgumentException("dynamic_sampling with data-parallel ranks is not supported (each rank would redraw on its own)");
    }
    GroupTrainer t = new GroupTrainer(policy, reference, scorer, prompts, padId, cfg);
    OnPolicyLoop<Rollout> loop = new OnPolicyLoop<>(t.policy, scorer, prompts, padId, cfg.layout(), hook, t);
    TrainResult r = loop.run(t.policy.trainable(), ModelCheckpoint.of(t.policy));
    return new GroupResult(r, loop.history());
  }

  @Override public Rollout prepare(int iteration, Samples first) {
    Map<String, Double> m = new LinkedHashMap<>();
    GroupConfig.Shaping shaping = cfg.shaping();
    DynamicSampling.Result d = DynamicSampling.fill(first, cfg.k(), shaping.dynamicSamplingRounds(),
        round -> redraw(iteration, round), x -> shapedRewards(cfg, x));
    m.put("frac_reward_zero_std", zeroFraction(DynamicSampling.informative(shapedRewards(cfg, first), cfg.k())));
    if (shaping.dynamicSamplingRounds() > 0) {
      m.put("dynamic_sampling/rounds", (double) d.rounds());
      m.put("dynamic_sampling/zero_std_left", zeroFraction(d.informative()));
    }
    Samples s = d.samples();
    RolloutRows rows = new RolloutRows(s);
    int chunk = cfg.forwardBatchSize();
    float[] old = cfg.epochs() > 1 || cfg.klCoef() > 0 ? rows.logprobs(policy, padId, cfg.temperature(), chunk) : null;
    float[] rl = ref != null ? rows.logprobs(ref, padId, cfg.temperature(), chunk) : null;
    float[] adv = advantages(rows, old, rl, m, policy.device());
    float[] weights = new float[s.size()];
    double counted = 0, seen = 0;
    for (int i = 0; i < weights.length; i++) {
      boolean masked = (shaping.maskTruncated() && !s.finished()[i])
          || (shaping.dynamicSamplingRounds() > 0 && !d.informative()[i / cfg.k()]);
      weights[i] = masked ? 0 : 1;
      counted += weights[i] * s.responses().get(i).length;
      seen += s.prompts().get(i).length + s.responses().get(i).length;
    }
    double[] global = share.sum(counted, seen); // every rank's tokens: a global token mean divides by their share
    tokensSeen += Math.round(global[1]);
    m.put("num_tokens", (double) tokensSeen);
    m.put("completions/clipped_ratio", 1 - (double) s.numFinished() / s.size());
    double microBatchTokens = global[0] / ((double) cfg.numMiniBatches() * cfg.train().gradAccumulation() * share.ranks());
    return new Rollout(rows, old, rl, adv, weights, microBatchTokens, m);
  }

  @Override public StepResult update(Rollout b, List<Integer> rows) {
    Device device = policy.device();
    ResponseBatch rb = b.rows().batch(rows, padId, device);
    Tensor mask = rb.responseMask().mul(b.rows().perRow(b.weights(), rows, device).unsqueeze(1)); // (b, R)
    ResponseBatch.Forward f = rb.chunkedForwardWithEntropy(policy, cfg.temperature(), 0); // never the (b, R, V) logits
    Tensor refRows = cfg.loss().beta() > 0 ? b.rows().rows(b.refLogps(), rows, device) : null; // (b, R)
    GrpoLoss.Result res = GrpoLoss.compute(cfg.loss(), f.logprobs(), b.rows().rows(b.oldLogps(), rows, device),
        refRows, b.rows().perRow(b.advantages(), rows, device), mask, b.microBatchTokens());
    GrpoLoss.Metrics lm = res.metrics();
    Map<String, Double> m = new LinkedHashMap<>();
    if (cfg.loss().beta() > 0) m.put("kl", lm.kl());
    m.put("clip_ratio", lm.clipRatio());
    m.put("clip_ratio/region_mean", lm.clipRatio());
    m.put("clip_ratio/low_mean", lm.clipLow());
    m.put("clip_ratio/high_mean", lm.clipHigh());
    m.put("clip_ratio/low_min", lm.clipLowMin());
    m.put("clip_ratio/high_max", lm.clipHighMax());
    double tokens = Masked.sum(mask, mask).item_double();
    if (tokens > 0) m.put("entropy", Masked.mean(f.entropy(), mask).item_double());
    return new StepResult(res.loss(), m, (long) tokens);
  }

  /** The reward each completion's advantage starts from: its score plus DAPO's overlong penalty when configured. */
  static double[] shapedRewards(GroupConfig cfg, Samples s) {
    double[] r = s.scores().clone();
    OverlongPenalty overlong = cfg.shaping().overlong();
    if (overlong != null) for (int i = 0; i < r.length; i++) r[i] += overlong.of(s.responses().get(i).length);
    return r;
  }

  /**
   * Dynamic sampling's extra draw {@code round} of iteration {@code iteration}: as many distinct prompts as an
   * iteration uses (seeded by the run's seed, the iteration and the round), k samples each.
   */
  private Samples redraw(int iteration, int round) {
    long seed = cfg.train().seed();
    java.util.Random rnd = new java.util.Random(seed * 1_000_003L + iteration * 7919L + round);
    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, prompts.size()).boxed().toList());
    java.util.Collections.shuffle(order, rnd);
    List<long[]> batch = new java.util.ArrayList<>(cfg.batchSize());
    for (int g = 0; g < cfg.promptsPerIteration(); g++) {
      long[] p = prompts.get(order.get(g % order.size()));
      for (int j = 0; j < cfg.k(); j++) batch.add(p);
    }
    return Samples.draw(policy, scorer, batch, padId, cfg.maxNewTokens(), cfg.temperature(), cfg.stopIds(),
        seed * 7919 + iteration + 104_729L * round, cfg.missingEosPenalty());
  }

  private static double zeroFraction(boolean[] informative) {
    int n = 0;
    for (boolean b : informative) if (!b) n++;
    return (double) n / informative.length;
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
    double[] shaped = shapedRewards(cfg, s);
    float[] rewards = new float[s.size()];
    for (int i = 0; i < rewards.length; i++) rewards[i] = (float) (shaped[i] - cfg.klCoef() * seqKl[i]);
    Tensor r = Tensors.floats(rewards, device, rewards.length / cfg.k(), cfg.k()); // (P, K): this rank's prompts
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

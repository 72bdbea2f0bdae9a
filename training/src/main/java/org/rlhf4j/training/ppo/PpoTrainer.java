package org.rlhf4j.training.ppo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.loss.PpoLoss;
import org.rlhf4j.training.rollout.OnPolicyLoop;
import org.rlhf4j.training.rollout.RankShare;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.RolloutHook;
import org.rlhf4j.training.rollout.Samples;
import org.rlhf4j.training.rollout.Scorer;

/**
 * PPO for language models in the InstructGPT / TRL PPOTrainer form, on the shared on-policy loop
 * ({@link OnPolicyLoop}). Each iteration: sample responses to a batch of prompts (truncated at the stop token),
 * score them (optional missing-EOS penalty), run the policy with its value head and the frozen reference over them
 * (no grad), per-token rewards = -klCoef * KL (k1 or k3) plus the score at the last response token, GAE, whitened
 * advantages; then {@code ppoEpochs} passes of clipped policy + clipped value loss over shuffled minibatches. The
 * value head reads the policy's final hidden states (TRL's {@code v_head}; {@link PpoConfig.Critic}: whether its loss also
 * trains the backbone, and its learning rate); one metrics.jsonl line per iteration
 * with TRL's names.
 *
 * <pre>{@code
 * PpoResult r = PpoTrainer.run(policy, reference, null, scorer, prompts, tokenizer, PpoConfig.defaults(out));
 * }</pre>
 */
public final class PpoTrainer implements OnPolicyLoop.Algorithm<RolloutBuffer> {
  /** The value head beside the policy in each checkpoint ({@code v_head.summary.*}). */
  public static final String VALUE_HEAD_FILE = "value_head.safetensors";

  /** The loop's outcome, per-iteration rollout metrics, the final KL controller and the value head. */
  public record PpoResult(TrainResult train, List<Map<String, Double>> history, KlController kl, ScalarHead valueHead) {
    /** {@code objective/scores} of each iteration run by this invocation. */
    public double[] scores() { return history.stream().mapToDouble(m -> m.get("objective/scores")).toArray(); }
  }

  private final CausalLM policy, ref;
  private final ScalarHead head;
  private final int padId;
  private final PpoConfig cfg;
  private KlController kl;
  private final RankShare share = RankShare.current();

  PpoTrainer(CausalLM policy, CausalLM ref, ScalarHead head, int padId, PpoConfig cfg) {
    this.policy = policy.requiresGrad(true);
    this.ref = ref == null ? policy.frozenReference() : ref;
    this.ref.requiresGrad(false);
    this.head = head != null ? head
        : ScalarHead.random(ScalarHead.Kind.VALUE, policy.config().hiddenSize(), cfg.train().seed(), policy.device());
    this.head.parameters().values().forEach(p -> p.requires_grad_(true));
    this.padId = padId;
    this.cfg = cfg;
    this.kl = cfg.kl();
  }

  /** With the tokenizer's pad id, and its stop ids when {@code cfg.stopIds()} is empty. */
  public static PpoResult run(CausalLM policy, CausalLM reference, ScalarHead valueHead, Scorer scorer,
      List<long[]> prompts, Tokenizer tok, PpoConfig cfg) {
    PpoConfig c = cfg.stopIds().isEmpty() ? cfg.withSampling(cfg.temperature(), tok.stopIds(), cfg.missingEosPenalty()) : cfg;
    return run(policy, reference, valueHead, scorer, prompts, tok.padId(), c, null);
  }

  /**
   * Trains {@code policy} (and the value head) in place.
   *
   * @param reference frozen here; null = a frozen copy of the policy as it is now
   * @param valueHead null = a fresh {@code v_head} on the policy's hidden states
   * @param hook      extra per-iteration metrics (e.g. {@link RolloutHook#gold}); may be null
   */
  public static PpoResult run(CausalLM policy, CausalLM reference, ScalarHead valueHead, Scorer scorer,
      List<long[]> prompts, int padId, PpoConfig cfg, RolloutHook hook) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("PPO needs at least one prompt");
    PpoTrainer t = new PpoTrainer(policy, reference, valueHead, padId, cfg);
    OnPolicyLoop<RolloutBuffer> loop = new OnPolicyLoop<>(t.policy, scorer, prompts, padId, t.layout(), hook, t);
    TrainResult r = loop.run(t.trainable(), ModelCheckpoint.of(t.policy).withPart(VALUE_HEAD_FILE, t.head));
    return new PpoResult(r, loop.history(), t.kl, t.head);
  }

  /** The loop's layout; the value head's parameters step at {@code critic.lrScale} times the policy's rate. */
  OnPolicyLoop.Layout layout() {
    if (cfg.critic().lrScale() == 1.0) return cfg.layout();
    TrainConfig.Builder b = cfg.train().toBuilder();
    head.parameters().keySet().forEach(name -> b.lrScale(name, cfg.critic().lrScale()));
    return cfg.withTrain(b.build()).layout();
  }

  /** Policy (or its adapters) and value-head parameters (what the optimizer updates). */
  HasParameters trainable() {
    return () -> {
      Map<String, Tensor> m = new LinkedHashMap<>(policy.trainable().parameters());
      m.putAll(head.parameters());
      return m;
    };
  }

  @Override public RolloutBuffer prepare(int iteration, Samples s) {
    RolloutBuffer b = RolloutBuffer.forward(policy, ref, head, s, padId, cfg.temperature(), cfg.forwardBatchSize());
    double seqKl = b.advantages(cfg, kl.value(), policy.device(), share);
    kl = kl.update(seqKl, s.size() * share.ranks());
    return b;
  }

  @Override public StepResult update(RolloutBuffer b, List<Integer> rows) {
    Device device = policy.device();
    ResponseBatch rb = b.rows.batch(rows, padId, device);
    Tensor mask = rb.responseMask(); // (b, R)
    ResponseBatch.Forward f = rb.chunkedForwardWithEntropy(policy, cfg.temperature(), 0); // never the (b, R, V) logits
    // (b, R); f.hidden() is a branch: the backbone's graph is walked once, after the head's recompute. A detached critic
    // reads the same hidden states without gradient: the value loss moves the head alone.
    Tensor values = head.forward(cfg.critic().detached() ? f.hidden().detach() : f.hidden());
    PpoLoss.PolicyResult pol = PpoLoss.policy(cfg.loss(), f.logprobs(), b.rows.rows(b.oldLogps, rows, device),
        b.rows.rows(b.advantages, rows, device), mask);
    PpoLoss.ValueResult val = PpoLoss.value(cfg.loss(), values, b.rows.rows(b.values, rows, device),
        b.rows.rows(b.returns, rows, device), mask);
    Tensor loss = PpoLoss.total(cfg.loss(), pol, val); // ()
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("policy/approxkl_avg", pol.metrics().approxKl());
    m.put("policy/clipfrac_avg", pol.metrics().clipfrac());
    m.put("loss/policy_avg", pol.metrics().loss());
    m.put("loss/value_avg", val.metrics().loss());
    m.put("val/clipfrac_avg", val.metrics().clipfrac());
    m.put("policy/entropy_avg", Masked.mean(f.entropy(), mask).item_double());
    m.put("val/ratio", pol.metrics().ratioMean());
    return new StepResult(loss, m, (long) Masked.sum(mask, mask).item_double());
  }
}

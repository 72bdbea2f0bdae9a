package org.rlhf4j.training.ppo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.LogProbs;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.loss.PpoLoss;

/**
 * PPO for language models in the InstructGPT / TRL PPOTrainer form, on the shared loop. Each
 * iteration: sample responses to a batch of prompts (truncated at the stop token), score them
 * (optional missing-EOS penalty), run the policy with its value head and the frozen reference
 * over them (no grad), per-token rewards = -klCoef * KL (k1 or k3) plus the score at the last
 * response token, GAE, whitened advantages; then {@code ppoEpochs} passes of clipped policy +
 * clipped value loss over shuffled minibatches. The value head reads the policy's final hidden
 * states (TRL's {@code v_head}); one metrics.jsonl line per iteration with TRL's names.
 *
 * <pre>{@code
 * PpoResult r = PpoTrainer.run(policy, reference, null, scorer, prompts, tokenizer, PpoConfig.defaults(out));
 * }</pre>
 */
public final class PpoTrainer {
  /** The loop's outcome, per-iteration rollout metrics, the final KL controller and the value head. */
  public record PpoResult(TrainResult train, List<Map<String, Double>> history, KlController kl, ScalarHead valueHead) {
    /** {@code objective/scores} of each iteration run by this invocation. */
    public double[] scores() { return history.stream().mapToDouble(m -> m.get("objective/scores")).toArray(); }
  }

  private final CausalLM policy, ref;
  private final ScalarHead head;
  private final Scorer scorer;
  private final List<long[]> prompts;
  private final int padId;
  private final PpoConfig cfg;
  private final RolloutHook hook;
  private final UpdateCursor cursor;
  private final EpochSampler promptSampler;
  private final List<Map<String, Double>> history = new ArrayList<>();
  private KlController kl;
  RolloutBuffer buffer;
  private long lastCallNanos;
  private double lastUpdateSeconds;

  PpoTrainer(CausalLM policy, CausalLM ref, ScalarHead head, Scorer scorer, List<long[]> prompts, int padId,
      PpoConfig cfg, RolloutHook hook) {
    this.policy = policy.requiresGrad(true);
    this.ref = ref == null ? policy.copy(policy.dtype()) : ref;
    this.ref.requiresGrad(false);
    this.head = head != null ? head
        : ScalarHead.random(ScalarHead.Kind.VALUE, policy.config().hiddenSize(), cfg.train().seed(), policy.device());
    this.head.parameters().values().forEach(p -> p.requires_grad_(true));
    this.scorer = scorer;
    this.prompts = List.copyOf(prompts);
    this.padId = padId;
    this.cfg = cfg;
    this.hook = hook;
    this.kl = cfg.kl();
    this.cursor = new UpdateCursor(cfg.ppoEpochs(), cfg.numMiniBatches(), cfg.train().seed());
    this.promptSampler = new EpochSampler(prompts.size(), cfg.batchSize(), cfg.train().seed(), true);
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
    PpoTrainer t = new PpoTrainer(policy, reference, valueHead, scorer, prompts, padId, cfg, hook);
    TrainResult r = new Trainer(cfg.loopConfig(), t::trainable, t::step, t.cursor, new PolicyCheckpoint(t.policy, t.head), null).run();
    return new PpoResult(r, List.copyOf(t.history), t.kl, t.head);
  }

  // ---------------------------------------------------------------------------------------

  /** Policy and value-head parameters (what the optimizer updates). */
  Map<String, Tensor> trainable() {
    Map<String, Tensor> m = new LinkedHashMap<>(policy.parameters());
    m.putAll(head.parameters());
    return m;
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
    List<Integer> rows = mb.subList(micro * size, (micro + 1) * size);
    StepResult r = update(rows);
    if (micro == accum - 1) cursor.advance();
    return r;
  }

  RolloutBuffer rollout(int iteration) {
    promptSampler.seek(iteration);
    List<long[]> batch = promptSampler.next().stream().map(prompts::get).toList();
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      Samples s = Samples.draw(policy, scorer, batch, padId, cfg.maxNewTokens(), cfg.temperature(), cfg.stopIds(),
          cursor.samplingSeed(), cfg.missingEosPenalty());
      long t0 = System.nanoTime();
      RolloutBuffer b = Rollouts.forward(policy, ref, head, s, padId, cfg.temperature(), cfg.forwardBatchSize())
          .withIteration(iteration);
      double forwardSeconds = (System.nanoTime() - t0) / 1e9;
      Rollouts.advantages(b, cfg, kl.value(), policy.device());
      double seqKl = b.metrics.get("objective/kl");
      b.metrics.put("time/generation", s.generationSeconds());
      b.metrics.put("time/scoring", s.scoringSeconds());
      b.metrics.put("time/forward", forwardSeconds);
      if (hook != null) b.metrics.putAll(hook.onRollout(iteration, s.prompts(), s.responses(), s.scores()));
      kl = kl.update(seqKl, s.size());
      history.add(Map.copyOf(b.metrics));
      return b;
    }
  }

  StepResult update(List<Integer> rows) {
    ResponseBatch rb = buffer.batch(rows, padId, policy.device());
    Tensor mask = rb.responseMask(); // (b, R)
    ResponseBatch.Forward f = rb.forward(policy, cfg.temperature());
    Tensor values = head.forward(f.hidden()); // (b, R)
    PpoLoss.PolicyResult pol = PpoLoss.policy(cfg.loss(), f.logprobs(), buffer.rows(buffer.oldLogps, rows, policy.device()),
        buffer.rows(buffer.advantages, rows, policy.device()), mask);
    PpoLoss.ValueResult val = PpoLoss.value(cfg.loss(), values, buffer.rows(buffer.values, rows, policy.device()),
        buffer.rows(buffer.returns, rows, policy.device()), mask);
    Tensor loss = PpoLoss.total(cfg.loss(), pol, val); // ()
    double entropy = Masked.mean(LogProbs.entropy(f.logits().detach()), mask).item_double();
    Map<String, Double> m = new LinkedHashMap<>(buffer.metrics);
    m.put("policy/approxkl_avg", pol.metrics().approxKl());
    m.put("policy/clipfrac_avg", pol.metrics().clipfrac());
    m.put("loss/policy_avg", pol.metrics().loss());
    m.put("loss/value_avg", val.metrics().loss());
    m.put("val/clipfrac_avg", val.metrics().clipfrac());
    m.put("policy/entropy_avg", entropy);
    m.put("val/ratio", pol.metrics().ratioMean());
    // estimated: updates per iteration x wall time of the latest complete update (forward, backward, optimizer)
    if (lastUpdateSeconds > 0) m.put("time/training", lastUpdateSeconds * cfg.updatesPerIteration());
    return new StepResult(loss, m, (long) Masked.sum(mask, mask).item_double());
  }

  /** KL coefficient in use (adaptive controllers change it after each rollout). */
  double klCoef() { return kl.value(); }
}

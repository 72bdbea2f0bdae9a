package org.rlhf4j.training.dpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.dp.DpSgd;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.rollout.ResponseBatch;

/**
 * Direct preference optimisation (TRL DPOTrainer) on the shared training loop: each step
 * scores a batch of pairs with the policy (chosen and rejected in one concatenated forward) and
 * the frozen reference (on the fly, or cached once before training), and minimises
 * {@link DpoLoss}; what the loss needs (a reference, length-normalised log-probs, the chosen
 * NLL) its variant states. Logs TRL's names: {@code loss}, {@code rewards/chosen},
 * {@code rewards/rejected}, {@code rewards/accuracies}, {@code rewards/margins},
 * {@code logps/chosen}, {@code logps/rejected}, {@code logits/chosen}, {@code logits/rejected},
 * and the variant's own ({@code nll_loss}, {@code log_odds_ratio}, ...).
 *
 * <pre>{@code
 * DpoResult r = DpoTrainer.run(policy, reference, pairs, DpoConfig.defaults(out));
 * }</pre>
 */
public final class DpoTrainer {
  private DpoTrainer() {}

  /** The loop's outcome and the DPO metrics of the last step. */
  public record DpoResult(TrainResult train, Map<String, Double> lastMetrics) {}

  /** Plain-text preference pairs, tokenised with {@link DpoPair#encode}. */
  public static DpoResult run(CausalLM policy, CausalLM reference, List<PreferencePair> pairs, Tokenizer tok,
      DpoConfig cfg) {
    return run(policy, reference, DpoPair.encode(pairs, tok), cfg);
  }

  /**
   * Trains {@code policy} in place. {@code reference} is frozen here (requires_grad off); null
   * uses a frozen copy of the policy as it is now. A variant that needs no reference (SimPO,
   * ORPO, SFT) loads none: {@code reference} is ignored and no reference forward runs.
   */
  public static DpoResult run(CausalLM policy, CausalLM reference, List<DpoPair> pairs, DpoConfig cfg) {
    return fit(policy, reference, pairs, cfg, null);
  }

  /**
   * DPO with DP-SGD ({@link DpSgd}, as the reward model's): each step a Poisson sample of the pairs (expected batch
   * {@code cfg.batchSize()}), each pair's gradient in its own micro-batch clipped to {@code dp}'s norm, Gaussian noise
   * on the sum; ε logged as {@code dp/epsilon} and written to {@code privacy.json} in the output folder. The reference
   * is public (the model before training), so its log-probs cost nothing. A loss that carries statistics of earlier
   * batches (BCO's running reward mean) is refused: it would leak them past the clipping.
   */
  public static DpoResult runPrivately(CausalLM policy, CausalLM reference, List<DpoPair> pairs, DpoConfig cfg,
      DpSgdConfig dp) {
    if (dp == null) throw new IllegalArgumentException("DP-SGD settings are required");
    return fit(policy, reference, pairs, cfg, dp);
  }

  private static DpoResult fit(CausalLM policy, CausalLM reference, List<DpoPair> pairs, DpoConfig cfg, DpSgdConfig dpCfg) {
    if (pairs.isEmpty()) throw new IllegalArgumentException("DPO needs at least one preference pair");
    DpoLoss.Variant v = cfg.variant();
    if (dpCfg != null && v.usesRunningStatistics()) {
      throw new IllegalArgumentException("DP-SGD: loss type " + v + " keeps a running mean over earlier batches; use one without (e.g. sigmoid)");
    }
    long soft = pairs.stream().filter(DpoPair::isSoft).count();
    if (soft > 0 && v.readsSoftLabels()) {
      org.rlhf4j.common.Reporter.get().info("DPO: %d of %d pairs have soft labels (chosen_probability < 1); loss %s trains towards them",
          soft, pairs.size(), v);
    } else if (soft > 0) {
      org.rlhf4j.common.Reporter.get().warn("DPO: %d of %d pairs have soft labels, but loss %s reads hard labels only: it trains on "
          + "the chosen side as if certain (sigmoid and cdpo train towards the probabilities)", soft, pairs.size(), v);
    }
    CausalLM ref = !v.needsReference() ? null : reference == null ? policy.frozenReference() : reference;
    if (ref != null) ref.requiresGrad(false);
    policy.requiresGrad(true);
    List<DpoPair> data = pairs.stream().map(p -> p.truncated(cfg.maxLength())).toList();
    double[][] cached = ref != null && cfg.precomputeReference() ? referenceLogps(ref, data, cfg) : null;
    BatchSampler sampler = BatchSampler.filling(data.size(), cfg.batchSize(), cfg.train().seed()).shardForThisRank();
    Map<String, Double> last = new LinkedHashMap<>();
    DpoStep step = new DpoStep(policy, ref, data, cached, v, last, new DpoLoss.RewardBaseline(), cfg.logprobChunkTokens());
    ModelCheckpoint io = ModelCheckpoint.of(policy);
    TrainResult r;
    if (dpCfg == null) {
      r = new Trainer(cfg.train(), policy.trainable(), micro -> step.on(sampler.next()), sampler, io, null).run();
    } else {
      DpSgd dp = new DpSgd(dpCfg.forData(data.size(), cfg.batchSize(), cfg.train().seed()));
      r = dp.train(cfg.train(), policy.trainable(), step::on, io, null);
      dp.writeCard(cfg.train().outputDir(), r.step());
    }
    return new DpoResult(r, Map.copyOf(last));
  }

  /** One micro-batch's loss: the given pairs scored by the policy and the reference (on the fly or from the cache). */
  record DpoStep(CausalLM policy, CausalLM ref, List<DpoPair> data, double[][] cached, DpoLoss.Variant variant,
      Map<String, Double> last, DpoLoss.RewardBaseline baseline, long chunkTokens) {
    DpoStep(CausalLM policy, CausalLM ref, List<DpoPair> data, double[][] cached, DpoLoss.Variant variant, Map<String, Double> last) {
      this(policy, ref, data, cached, variant, last, new DpoLoss.RewardBaseline(), 0);
    }

    StepResult on(List<Integer> idx) {
      List<DpoPair> batch = idx.stream().map(data::get).toList();
      Scored pol = score(policy, batch, chunkTokens);
      Tensor[] rf = ref == null ? null : cached != null ? fromCache(cached, idx, policy.device())
          : noGrad(() -> score(ref, batch, chunkTokens).sums());
      DpoLoss.Result res = DpoLoss.compute(variant, inputs(pol.sums(), rf, batch, policy.device()), baseline);
      Map<String, Double> m = metrics(res.metrics(), pol);
      m.remove("loss"); // the loop logs the loss itself
      last.clear();
      last.putAll(m);
      return new StepResult(res.loss(), m, tokens(batch));
    }
  }

  /**
   * DPO metrics (TRL names, plus {@code loss}) of {@code policy} against {@code reference} over
   * all pairs; {@code reference} may be null when the variant needs none.
   */
  public static Map<String, Double> evaluate(CausalLM policy, CausalLM reference, List<DpoPair> pairs,
      DpoLoss.Variant variant, int batchSize) {
    if (variant.needsReference() && reference == null) {
      throw new IllegalArgumentException(variant + " needs a reference model");
    }
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      List<Tensor> pc = new ArrayList<>(), pr = new ArrayList<>(), rc = new ArrayList<>(), rr = new ArrayList<>();
      Scored total = null;
      for (int s = 0; s < pairs.size(); s += batchSize) {
        List<DpoPair> batch = pairs.subList(s, Math.min(pairs.size(), s + batchSize));
        Scored p = score(policy, batch);
        total = total == null ? p : total.plus(p);
        pc.add(p.sums()[0]); pr.add(p.sums()[1]);
        if (variant.needsReference()) {
          Tensor[] r = score(reference, batch).sums();
          rc.add(r[0]); rr.add(r[1]);
        }
      }
      Tensor[] ref = variant.needsReference() ? new Tensor[] {cat(rc), cat(rr)} : null;
      DpoLoss.Result res = DpoLoss.compute(variant, inputs(new Tensor[] {cat(pc), cat(pr)}, ref, pairs, policy.device()), null);
      return metrics(res.metrics(), total);
    }
  }

  /**
   * One forward's summed response log-probs of chosen (B) and rejected (B), and the sums and
   * counts behind TRL's {@code logits/chosen} and {@code logits/rejected} (mean over response
   * tokens of the mean logit over the vocabulary).
   */
  record Scored(Tensor[] sums, double chosenLogits, double chosenTokens, double rejectedLogits, double rejectedTokens) {
    Scored plus(Scored o) {
      return new Scored(null, chosenLogits + o.chosenLogits, chosenTokens + o.chosenTokens,
          rejectedLogits + o.rejectedLogits, rejectedTokens + o.rejectedTokens);
    }
  }

  /** Chosen and rejected in one concatenated forward (chosen rows first), log-probs in chunks of the auto size. */
  static Scored score(CausalLM model, List<DpoPair> batch) {
    return score(model, batch, 0);
  }

  /** Chosen and rejected in one concatenated forward, {@code chunkTokens} response tokens' logits at a time. */
  static Scored score(CausalLM model, List<DpoPair> batch, long chunkTokens) {
    List<long[]> prompts = new ArrayList<>(), completions = new ArrayList<>();
    for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.chosen()); }
    for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.rejected()); }
    ResponseBatch rb = ResponseBatch.of(prompts, completions, 0, model.device());
    ResponseBatch.Forward f = rb.chunkedForward(model, chunkTokens); // never the (2B, R, V) logits
    Tensor seq = f.logprobs().sum(1); // (2B)
    Tensor mask = rb.responseMask(); // (2B, R)
    Tensor meanLogit = ResponseBatch.meanLogits(model, f.hidden()).to(mask.scalar_type()).mul(mask); // (2B, R)
    int b = batch.size();
    return new Scored(new Tensor[] {seq.narrow(0, 0, b), seq.narrow(0, b, b)},
        meanLogit.narrow(0, 0, b).sum().item_double(), mask.narrow(0, 0, b).sum().item_double(),
        meanLogit.narrow(0, b, b).sum().item_double(), mask.narrow(0, b, b).sum().item_double());
  }

  /** The loss inputs: policy sums, reference sums (or null) and the response lengths of {@code pairs}. */
  private static DpoLoss.Inputs inputs(Tensor[] policy, Tensor[] reference, List<DpoPair> pairs,
      org.rlhf4j.runtime.Device device) {
    float[] lc = new float[pairs.size()], lr = new float[pairs.size()], p = new float[pairs.size()];
    boolean soft = false;
    for (int i = 0; i < lc.length; i++) {
      DpoPair pair = pairs.get(i);
      lc[i] = pair.chosen().length;
      lr[i] = pair.rejected().length;
      p[i] = (float) pair.chosenProbability();
      soft |= pair.isSoft();
    }
    return new DpoLoss.Inputs(policy[0], policy[1], reference == null ? null : reference[0],
        reference == null ? null : reference[1], Tensors.floats(lc, device, lc.length), Tensors.floats(lr, device, lr.length),
        soft ? Tensors.floats(p, device, p.length) : null);
  }

  private static double[][] referenceLogps(CausalLM ref, List<DpoPair> data, DpoConfig cfg) {
    double[][] out = new double[2][data.size()];
    for (int s = 0; s < data.size(); s += cfg.batchSize()) {
      int from = s, to = Math.min(data.size(), s + cfg.batchSize());
      try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
        Tensor[] r = score(ref, data.subList(from, to), cfg.logprobChunkTokens()).sums();
        float[] c = Tensors.toFloats(r[0]), j = Tensors.toFloats(r[1]);
        for (int i = from; i < to; i++) { out[0][i] = c[i - from]; out[1][i] = j[i - from]; }
      }
    }
    return out;
  }

  private static Tensor[] fromCache(double[][] cached, List<Integer> idx, org.rlhf4j.runtime.Device device) {
    float[] c = new float[idx.size()], r = new float[idx.size()];
    for (int i = 0; i < idx.size(); i++) { c[i] = (float) cached[0][idx.get(i)]; r[i] = (float) cached[1][idx.get(i)]; }
    return new Tensor[] {Tensors.floats(c, device, c.length), Tensors.floats(r, device, r.length)};
  }

  private static Tensor[] noGrad(java.util.function.Supplier<Tensor[]> body) {
    try (NoGradGuard ng = new NoGradGuard()) {
      return body.get();
    }
  }

  /** The loss's metrics (TRL names) and TRL's {@code logits/chosen}, {@code logits/rejected}. */
  static Map<String, Double> metrics(DpoLoss.Metrics m, Scored scored) {
    Map<String, Double> out = metrics(m);
    if (scored.chosenTokens() > 0) out.put("logits/chosen", scored.chosenLogits() / scored.chosenTokens());
    if (scored.rejectedTokens() > 0) out.put("logits/rejected", scored.rejectedLogits() / scored.rejectedTokens());
    return out;
  }

  static Map<String, Double> metrics(DpoLoss.Metrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", m.loss());
    out.put("rewards/chosen", m.chosenReward());
    out.put("rewards/rejected", m.rejectedReward());
    out.put("rewards/accuracies", m.rewardAccuracy());
    out.put("rewards/margins", m.rewardMargin());
    out.put("logps/chosen", m.policyChosenLogps());
    out.put("logps/rejected", m.policyRejectedLogps());
    out.putAll(m.extra());
    return out;
  }

  private static long tokens(List<DpoPair> batch) {
    long n = 0;
    for (DpoPair p : batch) n += 2L * p.prompt().length + p.chosen().length + p.rejected().length;
    return n;
  }

  private static Tensor cat(List<Tensor> parts) { return Tensors.cat(0, parts.toArray(new Tensor[0])); }
}

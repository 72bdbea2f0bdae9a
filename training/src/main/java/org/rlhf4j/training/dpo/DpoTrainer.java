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
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.ppo.EpochSampler;
import org.rlhf4j.training.ppo.PolicyCheckpoint;
import org.rlhf4j.training.ppo.ResponseBatch;

/**
 * Direct preference optimisation (TRL DPOTrainer) on the shared training loop: each step
 * scores a batch of pairs with the policy (chosen and rejected in one concatenated forward) and
 * the frozen reference (on the fly, or cached once before training), and minimises
 * {@link DpoLoss}. Logs TRL's names: {@code loss}, {@code rewards/chosen},
 * {@code rewards/rejected}, {@code rewards/accuracies}, {@code rewards/margins},
 * {@code logps/chosen}, {@code logps/rejected}.
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
   * uses a frozen copy of the policy as it is now.
   */
  public static DpoResult run(CausalLM policy, CausalLM reference, List<DpoPair> pairs, DpoConfig cfg) {
    if (pairs.isEmpty()) throw new IllegalArgumentException("DPO needs at least one preference pair");
    CausalLM ref = reference == null ? policy.copy(policy.dtype()) : reference;
    ref.requiresGrad(false);
    policy.requiresGrad(true);
    List<DpoPair> data = pairs.stream().map(p -> p.truncated(cfg.maxLength())).toList();
    double[][] cached = cfg.precomputeReference() ? referenceLogps(ref, data, cfg) : null;
    EpochSampler sampler = new EpochSampler(data.size(), cfg.batchSize(), cfg.train().seed(), true);
    Map<String, Double> last = new LinkedHashMap<>();
    TrainResult r = new Trainer(cfg.train(), policy, micro -> {
      List<Integer> idx = sampler.next();
      List<DpoPair> batch = idx.stream().map(data::get).toList();
      Tensor[] pol = logps(policy, batch, cfg.variant()); // (B), (B)
      Tensor[] rf = cached != null ? fromCache(cached, idx, policy.device()) : noGrad(() -> logps(ref, batch, cfg.variant()));
      DpoLoss.Result res = DpoLoss.compute(cfg.variant(), pol[0], pol[1], rf[0], rf[1]);
      Map<String, Double> m = metrics(res.metrics());
      m.remove("loss"); // the loop logs the loss itself
      last.clear();
      last.putAll(m);
      return new StepResult(res.loss(), m, tokens(batch));
    }, sampler, new PolicyCheckpoint(policy, null), null).run();
    return new DpoResult(r, Map.copyOf(last));
  }

  /** DPO metrics (TRL names, plus {@code loss}) of {@code policy} against {@code reference} over all pairs. */
  public static Map<String, Double> evaluate(CausalLM policy, CausalLM reference, List<DpoPair> pairs,
      DpoLoss.Variant variant, int batchSize) {
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      List<Tensor> pc = new ArrayList<>(), pr = new ArrayList<>(), rc = new ArrayList<>(), rr = new ArrayList<>();
      for (int s = 0; s < pairs.size(); s += batchSize) {
        List<DpoPair> batch = pairs.subList(s, Math.min(pairs.size(), s + batchSize));
        Tensor[] p = logps(policy, batch, variant), r = logps(reference, batch, variant);
        pc.add(p[0]); pr.add(p[1]); rc.add(r[0]); rr.add(r[1]);
      }
      DpoLoss.Result res = DpoLoss.compute(variant, cat(pc), cat(pr), cat(rc), cat(rr));
      return metrics(res.metrics());
    }
  }

  /** Sequence log-probs of chosen (B) and rejected (B); IPO uses length-normalised ones (as TRL). */
  static Tensor[] logps(CausalLM model, List<DpoPair> batch, DpoLoss.Variant v) {
    List<long[]> prompts = new ArrayList<>(), completions = new ArrayList<>();
    for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.chosen()); }
    for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.rejected()); }
    ResponseBatch rb = ResponseBatch.of(prompts, completions, 0, model.device());
    Tensor tokenLogps = rb.forward(model, 1.0).logprobs(); // (2B, R)
    Tensor seq = tokenLogps.sum(1); // (2B)
    if (v instanceof DpoLoss.Ipo) seq = seq.div(rb.responseMask().sum(1).clamp_min(Tensors.scalar(1))); // (2B)
    int b = batch.size();
    return new Tensor[] {seq.narrow(0, 0, b), seq.narrow(0, b, b)};
  }

  private static double[][] referenceLogps(CausalLM ref, List<DpoPair> data, DpoConfig cfg) {
    double[][] out = new double[2][data.size()];
    for (int s = 0; s < data.size(); s += cfg.batchSize()) {
      int from = s, to = Math.min(data.size(), s + cfg.batchSize());
      try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
        Tensor[] r = logps(ref, data.subList(from, to), cfg.variant());
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

  static Map<String, Double> metrics(DpoLoss.Metrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", m.loss());
    out.put("rewards/chosen", m.chosenReward());
    out.put("rewards/rejected", m.rejectedReward());
    out.put("rewards/accuracies", m.rewardAccuracy());
    out.put("rewards/margins", m.rewardMargin());
    out.put("logps/chosen", m.policyChosenLogps());
    out.put("logps/rejected", m.policyRejectedLogps());
    return out;
  }

  private static long tokens(List<DpoPair> batch) {
    long n = 0;
    for (DpoPair p : batch) n += 2L * p.prompt().length + p.chosen().length + p.rejected().length;
    return n;
  }

  private static Tensor cat(List<Tensor> parts) { return Tensors.cat(0, parts.toArray(new Tensor[0])); }
}

package org.rlhf4j.training.kto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.loss.KtoLoss;
import org.rlhf4j.training.rollout.ResponseBatch;

/**
 * Kahneman-Tversky optimisation (TRL KTOTrainer) and BCO on the shared training loop. Each step scores a
 * batch of labelled completions with the policy (with gradients) and the frozen reference; for KTO it also
 * scores the batch's mismatched pairs (prompt i with completion i-1, TRL's KL dataset) with both models
 * without gradients, whose mean log-ratio, clamped at 0 and detached, is the reference point z0. The loss is
 * {@link KtoLoss}. Logs TRL's names ({@code kl}, {@code rewards/chosen}, {@code rewards/rejected},
 * {@code rewards/margins}, {@code logps/chosen}, {@code logps/rejected}, {@code count/*}; BCO {@code delta}).
 */
public final class KtoTrainer {
  private KtoTrainer() {}

  /** The loop's outcome and the metrics of the last step. */
  public record KtoResult(TrainResult train, Map<String, Double> lastMetrics) {}

  /** Plain-text unpaired examples, tokenised with {@link KtoExample#encode}. */
  public static KtoResult run(CausalLM policy, CausalLM reference, List<UnpairedExample> rows, Tokenizer tok,
      KtoConfig cfg, ModelCheckpoint io) {
    return run(policy, reference, KtoExample.encode(rows, tok), cfg, io);
  }

  /** Trains {@code policy} in place; {@code reference} null uses a frozen copy of the policy as it is now. */
  public static KtoResult run(CausalLM policy, CausalLM reference, List<KtoExample> examples, KtoConfig cfg) {
    return run(policy, reference, examples, cfg, ModelCheckpoint.of(policy));
  }

  /** As {@link #run(CausalLM, CausalLM, List, KtoConfig)}, checkpointing through {@code io} (e.g. with the tokenizer). */
  public static KtoResult run(CausalLM policy, CausalLM reference, List<KtoExample> examples, KtoConfig cfg,
      ModelCheckpoint io) {
    if (examples.isEmpty()) throw new IllegalArgumentException("KTO needs at least one labelled example");
    if (cfg.variant().needsKl() && examples.size() < 2) {
      throw new IllegalArgumentException("KTO needs at least two examples (the KL pairs mismatch prompts and completions)");
    }
    CausalLM ref = reference == null ? policy.frozenReference() : reference;
    ref.requiresGrad(false);
    policy.requiresGrad(true);
    List<KtoExample> data = examples.stream().map(e -> e.truncated(cfg.maxLength())).toList();
    BatchSampler sampler = BatchSampler.filling(data.size(), Math.min(cfg.batchSize(), data.size()), cfg.train().seed());
    DpoLoss.RewardBaseline baseline = new DpoLoss.RewardBaseline();
    Map<String, Double> last = new LinkedHashMap<>();
    TrainResult r = new Trainer(cfg.train(), policy.trainable(), micro -> {
      List<KtoExample> batch = sampler.next().stream().map(data::get).toList();
      KtoLoss.Result res = KtoLoss.compute(cfg.variant(), inputs(policy, ref, batch, cfg), baseline);
      Map<String, Double> m = res.metrics().named(cfg.variant().usesRewardShift());
      last.clear();
      last.putAll(m);
      return new StepResult(res.loss(), m, tokens(batch));
    }, sampler, io, null).run();
    return new KtoResult(r, Map.copyOf(last));
  }

  /** The loss and TRL metrics (plus {@code loss}) of {@code policy} against {@code reference} over all examples. */
  public static Map<String, Double> evaluate(CausalLM policy, CausalLM reference, List<KtoExample> examples,
      KtoLoss.Variant variant, int batchSize) {
    if (reference == null) throw new IllegalArgumentException("KTO evaluation needs a reference model");
    KtoConfig cfg = KtoConfig.defaults(java.nio.file.Path.of(".")).withVariant(variant).withBatchSize(Math.max(2, batchSize));
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      List<Tensor> pol = new ArrayList<>(), rf = new ArrayList<>(), pkl = new ArrayList<>(), rkl = new ArrayList<>();
      boolean[] labels = new boolean[examples.size()];
      for (int s = 0; s < examples.size(); s += batchSize) {
        List<KtoExample> batch = examples.subList(s, Math.min(examples.size(), s + batchSize));
        KtoLoss.Inputs in = inputs(policy, reference, batch, cfg);
        pol.add(in.policy()); rf.add(in.reference());
        if (in.policyKl() != null) { pkl.add(in.policyKl()); rkl.add(in.referenceKl()); }
        for (int i = 0; i < batch.size(); i++) labels[s + i] = batch.get(i).desirable();
      }
      boolean kl = !pkl.isEmpty();
      KtoLoss.Inputs all = new KtoLoss.Inputs(cat(pol), cat(rf), labels, kl ? cat(pkl) : null, kl ? cat(rkl) : null);
      KtoLoss.Result res = KtoLoss.compute(variant, all, null);
      Map<String, Double> m = new LinkedHashMap<>(res.metrics().named(variant.usesRewardShift()));
      m.put("loss", res.metrics().loss());
      return m;
    }
  }

  /** The loss inputs of one batch: policy log-probs with gradients, the rest without. */
  private static KtoLoss.Inputs inputs(CausalLM policy, CausalLM ref, List<KtoExample> batch, KtoConfig cfg) {
    boolean[] labels = new boolean[batch.size()];
    for (int i = 0; i < labels.length; i++) labels[i] = batch.get(i).desirable();
    Tensor pol = score(policy, batch); // (B)
    if (!cfg.variant().needsKl()) return new KtoLoss.Inputs(pol, noGrad(() -> score(ref, batch)), labels, null, null);
    List<KtoExample> kl = mismatched(batch, cfg.maxLength());
    List<KtoExample> both = new ArrayList<>(batch);
    both.addAll(kl);
    Tensor rf = noGrad(() -> score(ref, both)); // (2B): matched then mismatched
    int b = batch.size();
    return new KtoLoss.Inputs(pol, rf.narrow(0, 0, b), labels, noGrad(() -> score(policy, kl)), rf.narrow(0, b, b));
  }

  /** TRL's KL pairs: prompt i with completion i-1 (the first with the last). */
  static List<KtoExample> mismatched(List<KtoExample> batch, int maxLength) {
    List<KtoExample> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(batch.get(i).withCompletionOf(batch.get((i + batch.size() - 1) % batch.size())).truncated(maxLength));
    }
    return out;
  }

  /** Summed completion log-probs (B) in one forward. */
  static Tensor score(CausalLM model, List<KtoExample> batch) {
    List<long[]> prompts = new ArrayList<>(), completions = new ArrayList<>();
    for (KtoExample e : batch) { prompts.add(e.prompt()); completions.add(e.completion()); }
    return ResponseBatch.of(prompts, completions, 0, model.device()).chunkedForward(model, 0).logprobs().sum(1); // (B), never the (B, R, V) logits
  }

  private static Tensor noGrad(Supplier<Tensor> body) {
    try (NoGradGuard ng = new NoGradGuard()) {
      return body.get();
    }
  }

  private static Tensor cat(List<Tensor> parts) { return Tensors.cat(0, parts.toArray(new Tensor[0])); }

  private static long tokens(List<KtoExample> batch) {
    long n = 0;
    for (KtoExample e : batch) n += e.prompt().length + e.completion().length;
    return n;
  }
}

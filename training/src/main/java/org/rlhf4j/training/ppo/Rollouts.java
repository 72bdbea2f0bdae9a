package org.rlhf4j.training.ppo;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.loss.Masked;
import org.rlhf4j.training.loss.PpoRewards;

/** The no-grad half of an on-policy iteration: forwards over sampled responses, rewards, GAE. */
public final class Rollouts {
  private Rollouts() {}

  /** Width R of a rollout batch: its longest response (at least 1). */
  public static int width(Samples s) {
    return Math.max(1, s.responses().stream().mapToInt(r -> r.length).max().orElse(0));
  }

  /**
   * Response token log-probs (B*R, row-major, 0 on padding) of {@code model} under logits /
   * temperature, in chunks of {@code chunk} rows; call under no-grad.
   */
  public static float[] logprobs(CausalLM model, Samples s, int padId, double temperature, int chunk) {
    int width = width(s);
    float[] out = new float[s.size() * width];
    for (int from = 0; from < s.size(); from += chunk) {
      int to = Math.min(s.size(), from + chunk);
      try (NativeScope scope = NativeScope.open()) {
        ResponseBatch rb = ResponseBatch.of(s.prompts().subList(from, to), s.responses().subList(from, to), padId,
            model.device(), width);
        float[] v = Tensors.toFloats(rb.forward(model, temperature).logprobs()); // (b, R)
        System.arraycopy(v, 0, out, from * width, v.length);
      }
    }
    return out;
  }

  /** Policy log-probs and values (one pass) and reference log-probs; call under no-grad. */
  static RolloutBuffer forward(CausalLM policy, CausalLM ref, ScalarHead head, Samples s, int padId,
      double temperature, int chunk) {
    RolloutBuffer b = new RolloutBuffer(-1, s, width(s));
    for (int from = 0; from < s.size(); from += chunk) {
      int to = Math.min(s.size(), from + chunk);
      try (NativeScope scope = NativeScope.open()) {
        List<Integer> rows = java.util.stream.IntStream.range(from, to).boxed().toList();
        ResponseBatch rb = b.batch(rows, padId, policy.device());
        ResponseBatch.Forward f = rb.forward(policy, temperature);
        b.put(b.oldLogps, from, f.logprobs()); // (b, R)
        b.put(b.values, from, head.forward(f.hidden())); // (b, R)
      }
    }
    float[] r = logprobs(ref, s, padId, temperature, chunk);
    System.arraycopy(r, 0, b.refLogps, 0, r.length);
    return b.withIteration(-1);
  }

  /** Per-token KL-penalised rewards, GAE, whitened advantages and the iteration's objective metrics. */
  static void advantages(RolloutBuffer b, PpoConfig cfg, double klCoef, Device device) {
    Tensor m = b.all(b.mask, device); // (B, R)
    Tensor lp = b.all(b.oldLogps, device); // (B, R)
    Tensor kl = cfg.klEstimator().perToken(lp, b.all(b.refLogps, device), m); // (B, R)
    Tensor scores = Tensors.floats(toFloats(b.samples.scores()), device, b.samples.size()); // (B)
    Tensor rewards = PpoRewards.perToken(scores, kl, m, klCoef); // (B, R)
    boolean canWhiten = b.samples.responses().stream().mapToInt(x -> x.length).sum() >= 2;
    if (cfg.whitenRewards() && canWhiten) rewards = Masked.whiten(rewards, m, true, 1e-8, false); // (B, R)
    Gae.Result gae = Gae.compute(cfg.gae(), rewards, b.all(b.values, device), m);
    Tensor adv = canWhiten ? Masked.whiten(gae.advantages(), m, true, 1e-8, true) : gae.advantages(); // (B, R)
    b.put(b.advantages, 0, adv);
    b.put(b.returns, 0, gae.returns());
    double seqKl = kl.sum(1).mean().item_double();
    double nonScore = -klCoef * seqKl;
    b.metrics.put("objective/kl", seqKl);
    b.metrics.put("objective/entropy", lp.neg().mul(m).sum(1).mean().item_double());
    b.metrics.put("objective/non_score_reward", nonScore);
    b.metrics.put("objective/rlhf_reward", b.samples.meanScore() + nonScore);
    b.metrics.put("objective/scores", b.samples.meanScore());
    b.metrics.put("val/num_eos_tokens", (double) b.samples.numFinished());
    b.metrics.put("response_length_mean", b.samples.meanResponseLength());
    b.metrics.put("kl_coef", klCoef);
  }

  static float[] toFloats(double[] xs) {
    float[] out = new float[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = (float) xs[i];
    return out;
  }
}

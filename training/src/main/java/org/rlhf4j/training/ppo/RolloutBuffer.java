package org.rlhf4j.training.ppo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.loss.PpoRewards;
import org.rlhf4j.training.rollout.OnPolicyLoop;
import org.rlhf4j.training.rollout.RankShare;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.RolloutRows;
import org.rlhf4j.training.rollout.Samples;

/** A PPO rollout: per-token (B, R) arrays of the policy's and reference's log-probs, values, advantages, returns. */
final class RolloutBuffer implements OnPolicyLoop.Rollout {
  final RolloutRows rows;
  final float[] mask, oldLogps, refLogps, values, advantages, returns;
  private final Map<String, Double> metrics = new LinkedHashMap<>();

  private RolloutBuffer(Samples samples) {
    rows = new RolloutRows(samples);
    mask = rows.mask();
    oldLogps = rows.perToken();
    refLogps = rows.perToken();
    values = rows.perToken();
    advantages = rows.perToken();
    returns = rows.perToken();
  }

  @Override public Samples samples() { return rows.samples(); }

  @Override public Map<String, Double> metrics() { return metrics; }

  /** Policy log-probs and values (one pass) and reference log-probs, in chunks; call under no-grad. */
  static RolloutBuffer forward(CausalLM policy, CausalLM ref, ScalarHead head, Samples s, int padId,
      double temperature, int chunk) {
    RolloutBuffer b = new RolloutBuffer(s);
    for (int from = 0; from < s.size(); from += chunk) {
      int to = Math.min(s.size(), from + chunk);
      try (NativeScope scope = NativeScope.open()) {
        List<Integer> rows = IntStream.range(from, to).boxed().toList();
        ResponseBatch.Forward f = b.rows.batch(rows, padId, policy.device()).chunkedForward(policy, temperature, 0); // never the (b, R, V) logits
        b.rows.put(b.oldLogps, from, f.logprobs()); // (b, R)
        b.rows.put(b.values, from, head.forward(f.hidden())); // (b, R)
      }
    }
    float[] r = b.rows.logprobs(ref, padId, temperature, chunk);
    System.arraycopy(r, 0, b.refLogps, 0, r.length);
    return b;
  }

  /**
   * Per-token KL-penalised rewards, GAE, whitened advantages and the iteration's objective metrics; returns the mean
   * sequence KL (what an adaptive controller follows). Data-parallel ({@code share}): whitening and the mean KL are over
   * every rank's rows (this rank's metrics are of its rows; the loop averages them).
   */
  double advantages(PpoConfig cfg, double klCoef, Device device, RankShare share) {
    Samples s = rows.samples();
    Tensor m = rows.all(mask, device); // (B, R)
    Tensor lp = rows.all(oldLogps, device); // (B, R)
    Tensor kl = cfg.klEstimator().perToken(lp, rows.all(refLogps, device), m); // (B, R)
    float[] sc = new float[s.size()];
    for (int i = 0; i < sc.length; i++) sc[i] = (float) s.scores()[i];
    Tensor scores = Tensors.floats(sc, device, s.size()); // (B)
    Tensor rewards = PpoRewards.perToken(scores, kl, m, klCoef); // (B, R)
    boolean canWhiten = share.sum(s.responses().stream().mapToInt(x -> x.length).sum())[0] >= 2;
    if (cfg.whitenRewards() && canWhiten) rewards = share.whiten(rewards, m, true, 1e-8, false); // (B, R)
    Gae.Result gae = Gae.compute(cfg.gae(), rewards, rows.all(values, device), m);
    Tensor adv = canWhiten ? share.whiten(gae.advantages(), m, true, 1e-8, true) : gae.advantages(); // (B, R)
    rows.put(advantages, 0, adv);
    rows.put(returns, 0, gae.returns());
    double localKl = kl.sum(1).mean().item_double(), seqKl = share.mean(localKl);
    double nonScore = -klCoef * localKl;
    metrics.put("objective/kl", localKl);
    metrics.put("objective/entropy", lp.neg().mul(m).sum(1).mean().item_double());
    metrics.put("objective/non_score_reward", nonScore);
    metrics.put("objective/rlhf_reward", s.meanScore() + nonScore);
    metrics.put("objective/scores", s.meanScore());
    metrics.put("val/num_eos_tokens", (double) s.numFinished());
    metrics.put("response_length_mean", s.meanResponseLength());
    metrics.put("kl_coef", klCoef);
    return seqKl;
  }
}

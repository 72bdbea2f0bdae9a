package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * Critic-free advantages from K sampled completions per prompt, rewards (P, K):
 * <ul>
 *   <li>RLOO: A_ij = r_ij - (sum_k r_ik - r_ij)/(K-1), the leave-one-out mean baseline.</li>
 *   <li>GRPO: A_ij = (r_ij - mean_i)/(std_i + eps), std_i the UNBIASED (K-1) std of row i
 *       (torch.std default, TRL GRPO), eps 1e-4; a row of equal rewards gives 0. With
 *       scaleByStd = false: A_ij = r_ij - mean_i (Dr. GRPO / scale_rewards = none).</li>
 * </ul>
 * Results are detached (P, K); flatten them to match a (P*K) batch ordered prompt-major.
 */
public final class GroupAdvantages {
  private GroupAdvantages() {}

  /** GRPO normalisation: divide by (unbiased row std + eps) when scaleByStd. */
  public record GrpoConfig(boolean scaleByStd, double eps) {
    public static final GrpoConfig DEFAULT = new GrpoConfig(true, 1e-4);

    public GrpoConfig { Ops.requirePositive("eps", eps); }
  }

  /** RLOO leave-one-out advantages, (P, K) to (P, K); K >= 2. */
  public static Tensor rloo(Tensor rewards) {
    Tensor r = check(rewards); // (P, K)
    long k = r.size(1);
    Tensor others = Ops.sumKeep(r, 1).sub(r); // (P, K)
    return r.sub(others.div(s(k - 1))); // (P, K)
  }

  /** GRPO group-normalised advantages, (P, K) to (P, K); K >= 2. */
  public static Tensor grpo(GrpoConfig cfg, Tensor rewards) {
    Tensor r = check(rewards); // (P, K)
    Tensor centered = r.sub(Ops.meanKeep(r, 1)); // (P, K)
    if (!cfg.scaleByStd()) return centered;
    Tensor std = r.std(new long[] {1}, true, true); // (P, 1) unbiased
    return centered.div(std.add(s(cfg.eps()))); // (P, K)
  }

  private static Tensor check(Tensor rewards) {
    Ops.requireDim("rewards", rewards, 2, "(P prompts, K samples)");
    if (rewards.size(1) < 2) {
      throw new IllegalArgumentException("group advantages need K >= 2 samples per prompt, got " + rewards.size(1));
    }
    return Ops.upcast("rewards", rewards).detach(); // (P, K)
  }
}

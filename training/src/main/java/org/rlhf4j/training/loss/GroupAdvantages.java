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
 * {@link #zeroStd} and {@link #fracZeroStd} find the groups with all-equal rewards.
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

  /**
   * Which groups (rows of rewards (P, K)) have all-equal rewards: unbiased std within 1e-8 of 0
   * (torch.isclose against 0, as TRL). Their advantages are 0, so they teach nothing (DAPO's
   * dynamic sampling drops them).
   */
  public static boolean[] zeroStd(Tensor rewards) {
    Tensor std = check(rewards).std(new long[] {1}, true, false); // (P)
    boolean[] out = new boolean[(int) std.size(0)];
    for (int i = 0; i < out.length; i++) out[i] = Math.abs(std.get(i).item_double()) <= 1e-8;
    return out;
  }

  /** TRL's {@code frac_reward_zero_std}: the fraction of groups whose rewards are all equal. */
  public static double fracZeroStd(Tensor rewards) {
    boolean[] z = zeroStd(rewards);
    int n = 0;
    for (boolean b : z) if (b) n++;
    return (double) n / z.length;
  }

  private static Tensor check(Tensor rewards) {
    Ops.requireDim("rewards", rewards, 2, "(P prompts, K samples)");
    if (rewards.size(1) < 2) {
      throw new IllegalArgumentException("group advantages need K >= 2 samples per prompt, got " + rewards.size(1));
    }
    return Ops.upcast("rewards", rewards).detach(); // (P, K)
  }
}

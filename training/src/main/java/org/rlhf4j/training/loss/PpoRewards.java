package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * PPO per-token rewards (InstructGPT / TRL form): -klCoef * kl at every response token, plus the
 * sequence score added at the last real response token of each row (index sum(mask)-1 for a
 * right-padded mask); 0 on padding. TRL's PPOTrainer puts the score one position later (its
 * padding_mask_p1 quirk); this follows the fixture's convention.
 */
public final class PpoRewards {
  private PpoRewards() {}

  /** scores (B), kl (B, T) from {@link KlEstimator#perToken}, mask (B, T); returns (B, T), no grad. */
  public static Tensor perToken(Tensor scores, Tensor kl, Tensor mask, double klCoef) {
    Ops.requireNonNegative("klCoef", klCoef);
    Ops.requireDim("kl", kl, 2, "(B, T)");
    Ops.requireSameShape("mask", mask, "kl", kl);
    Ops.requireDim("scores", scores, 1, "(B)");
    if (scores.size(0) != kl.size(0)) {
      throw new IllegalArgumentException("scores has " + scores.size(0) + " rows but kl has " + kl.size(0));
    }
    Tensor k = Ops.upcast("kl", kl).detach(); // (B, T)
    Tensor m = Ops.like(mask, k); // (B, T)
    Tensor penalty = k.mul(m).mul(s(-klCoef)); // (B, T)
    Tensor last = lastToken(m); // (B, T) one-hot
    Tensor score = Ops.like(scores, k).detach().unsqueeze(1); // (B, 1)
    return penalty.add(last.mul(score)); // (B, T)
  }

  /** One-hot (B, T) of each row's last counted position; all zero for an empty row. */
  static Tensor lastToken(Tensor m) {
    Tensor running = m.cumsum(1); // (B, T)
    Tensor total = Ops.sumKeep(m, 1); // (B, 1)
    return Ops.like(running.eq(total), m).mul(m); // (B, T)
  }
}

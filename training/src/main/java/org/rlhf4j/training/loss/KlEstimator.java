package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * Per-token estimators of KL(p || q) from tokens sampled from p (Schulman's k1, k2, k3). With
 * x = log q - log p at each sampled token (so r = q/p = exp(x)):
 * <ul>
 *   <li>K1: log p - log q = -x (unbiased, can be negative; TRL PPO's default)</li>
 *   <li>K2: 0.5 (log p - log q)^2 = 0.5 x^2 (low variance, biased)</li>
 *   <li>K3: (r - 1) - log r = expm1(x) - x (unbiased, always >= 0; GRPO)</li>
 * </ul>
 * For the PPO penalty p is the rollout policy and q the reference; for PPO's approx-KL metric p
 * is the old (rollout) policy and q the new one.
 */
public enum KlEstimator {
  K1, K2, K3;

  /** logp, logq, mask all (B, T); returns (B, T) with 0 where mask is 0. */
  public Tensor perToken(Tensor logp, Tensor logq, Tensor mask) {
    Ops.requireSameShape("logq", logq, "logp", logp);
    Ops.requireSameShape("mask", mask, "logp", logp);
    Tensor lp = Ops.upcast("logp", logp); // (B, T)
    Tensor x = Ops.like(logq, lp).sub(lp); // (B, T) log(q/p)
    Tensor kl;
    switch (this) {
      case K1: kl = x.neg(); break; // (B, T)
      case K2: kl = x.square().mul(s(0.5)); break; // (B, T)
      case K3: kl = x.expm1().sub(x); break; // (B, T)
      default: throw new AssertionError(this);
    }
    return kl.mul(Ops.like(mask, lp)); // (B, T)
  }
}

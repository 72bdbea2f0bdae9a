package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * The critic-free clipped policy loss of TRL's GRPOTrainer (also used with RLOO advantages):
 * with one advantage per sequence A_b (from {@link GroupAdvantages}),
 * ratio = exp(logp - logp_old), per-token loss = -min(ratio A, clamp(ratio, 1-epsLow, 1+epsHigh) A)
 * + beta * k3(logp, logp_ref), where k3 = exp(ref - logp) - (ref - logp) - 1. The
 * {@link Aggregation} turns masked per-token losses into one number.
 */
public final class GrpoLoss {
  private GrpoLoss() {}

  /** How masked per-token losses are reduced (TRL loss_type). */
  public sealed interface Aggregation permits SequenceMean, TokenMean, FixedLength {
    /** One number from the masked per-token losses (B, T) and the mask (B, T). */
    Tensor reduce(Tensor masked, Tensor mask);
  }

  /** "grpo": mean over sequences of each sequence's token mean (empty rows count 0 tokens as 1). */
  public record SequenceMean() implements Aggregation {
    @Override public Tensor reduce(Tensor masked, Tensor mask) {
      return masked.sum(1).div(mask.sum(1).clamp_min(s(1))).mean(); // ()
    }
  }

  /** "bnpo": sum over all counted tokens / number of counted tokens. */
  public record TokenMean() implements Aggregation {
    @Override public Tensor reduce(Tensor masked, Tensor mask) {
      return masked.sum().div(mask.sum().clamp_min(s(1))); // ()
    }
  }

  /** "dr_grpo": sum over all counted tokens / (B * maxCompletionLength), no length bias. */
  public record FixedLength(long maxCompletionLength) implements Aggregation {
    public FixedLength {
      if (maxCompletionLength < 1) {
        throw new IllegalArgumentException("maxCompletionLength must be >= 1, got " + maxCompletionLength);
      }
    }

    @Override public Tensor reduce(Tensor masked, Tensor mask) {
      return masked.sum().div(s((double) masked.size(0) * maxCompletionLength)); // ()
    }
  }

  /** epsLow/epsHigh clip bounds (> 0), beta >= 0 (KL-to-reference weight; 0 needs no reference). */
  public record Config(double epsLow, double epsHigh, double beta, Aggregation aggregation) {
    public static final Config DEFAULT = new Config(0.2, 0.2, 0.0, new SequenceMean());

    public Config {
      Ops.requirePositive("epsLow", epsLow);
      Ops.requirePositive("epsHigh", epsHigh);
      Ops.requireNonNegative("beta", beta);
      if (aggregation == null) throw new IllegalArgumentException("aggregation is required");
    }
  }

  /** kl = masked mean of k3 (0 when beta is 0 and no reference is given); clipRatio = masked mean of clipped tokens. */
  public record Metrics(double loss, double kl, double clipRatio) {}

  public record Result(Tensor loss, Metrics metrics) {}

  /**
   * @param logps      (B, T) current policy token log-probs (carries the gradient)
   * @param oldLogps   (B, T) rollout policy log-probs, or null for one update per batch (ratio 1)
   * @param refLogps   (B, T) reference log-probs, or null when beta is 0
   * @param advantages (B) one advantage per sequence
   * @param mask       (B, T) completion mask
   */
  public static Result compute(Config cfg, Tensor logps, Tensor oldLogps, Tensor refLogps, Tensor advantages,
      Tensor mask) {
    Ops.requireDim("logps", logps, 2, "(B, T)");
    Ops.requireSameShape("mask", mask, "logps", logps);
    Ops.requireDim("advantages", advantages, 1, "(B)");
    if (advantages.size(0) != logps.size(0)) {
      throw new IllegalArgumentException("advantages has " + advantages.size(0) + " rows but logps has " + logps.size(0));
    }
    if (cfg.beta() > 0 && refLogps == null) throw new IllegalArgumentException("refLogps is required when beta > 0");
    Tensor lp = Ops.upcast("logps", logps); // (B, T)
    Tensor m = Ops.like(mask, lp); // (B, T)
    Tensor old = oldLogps == null ? lp.detach() : checked("oldLogps", oldLogps, lp).detach(); // (B, T)
    Tensor adv = Ops.like(advantages, lp).detach().unsqueeze(1); // (B, 1)
    Tensor ratio = lp.sub(old).mul(m).exp(); // (B, T)
    Tensor clippedRatio = ratio.clamp_min(s(1 - cfg.epsLow())).clamp_max(s(1 + cfg.epsHigh())); // (B, T)
    Tensor perToken = ratio.mul(adv).minimum(clippedRatio.mul(adv)).neg(); // (B, T)
    double klMean = 0;
    if (refLogps != null) {
      Tensor ref = checked("refLogps", refLogps, lp).detach(); // (B, T)
      Tensor kl = KlEstimator.K3.perToken(lp, ref, m); // (B, T)
      klMean = Ops.value(Masked.mean(kl, m));
      if (cfg.beta() > 0) perToken = perToken.add(kl.mul(s(cfg.beta()))); // (B, T)
    }
    Tensor loss = cfg.aggregation().reduce(perToken.mul(m), m); // ()
    Tensor r = ratio.detach(); // (B, T)
    Tensor low = r.lt(s(1 - cfg.epsLow())).logical_and(adv.lt(s(0)).expand_as(r)); // (B, T)
    Tensor high = r.gt(s(1 + cfg.epsHigh())).logical_and(adv.gt(s(0)).expand_as(r)); // (B, T)
    double clipRatio = Ops.value(Masked.mean(Ops.like(low.logical_or(high), m), m));
    return new Result(loss, new Metrics(Ops.value(loss), klMean, clipRatio));
  }

  private static Tensor checked(String name, Tensor t, Tensor lp) {
    Ops.requireSameShape(name, t, "logps", lp);
    return Ops.like(t, lp); // (B, T)
  }
}

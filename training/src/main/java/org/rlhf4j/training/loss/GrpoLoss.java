package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * The critic-free clipped policy loss of TRL's GRPOTrainer (also used with RLOO advantages):
 * with one advantage per sequence A_b (from {@link GroupAdvantages}) and an importance weight w
 * per token (w = exp(logp - logp_old)) or per sequence (GSPO: w_b = exp(mean_t(logp - logp_old))),
 * per-token loss = -min(w A, clamp(w, 1-epsLow, 1+epsHigh) A) + beta * k3(logp, logp_ref),
 * where k3 = exp(ref - logp) - (ref - logp) - 1. The {@link Aggregation} turns masked per-token
 * losses into one number (TRL loss_type). Expected numbers in the tests come from
 * {@code training/src/test/python/reference_losses.py}.
 */
public final class GrpoLoss {
  private GrpoLoss() {}

  /** How masked per-token losses are reduced (TRL loss_type). */
  public sealed interface Aggregation permits SequenceMean, TokenMean, FixedLength, GlobalTokenMean {
    /**
     * One number from the masked per-token losses (B, T) and the mask (B, T); {@code batchTokens}
     * is what a global token mean divides by (see {@link GlobalTokenMean}).
     */
    Tensor reduce(Tensor masked, Tensor mask, double batchTokens);
  }

  /** "grpo": mean over sequences of each sequence's token mean (empty rows count 0 tokens as 1). */
  public record SequenceMean() implements Aggregation {
    @Override public Tensor reduce(Tensor masked, Tensor mask, double batchTokens) {
      return masked.sum(1).div(mask.sum(1).clamp_min(s(1))).mean(); // ()
    }
  }

  /** "bnpo": sum over this micro-batch's counted tokens / their number. */
  public record TokenMean() implements Aggregation {
    @Override public Tensor reduce(Tensor masked, Tensor mask, double batchTokens) {
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

    @Override public Tensor reduce(Tensor masked, Tensor mask, double batchTokens) {
      return masked.sum().div(s((double) masked.size(0) * maxCompletionLength)); // ()
    }
  }

  /**
   * "dapo" (TRL's default): sum over counted tokens / the counted tokens of the whole
   * accumulated batch, so every token of an optimizer step weighs the same. The caller passes
   * {@code batchTokens} = (counted tokens of the step's batch) / (its micro-batches), as the
   * loop averages micro-batch losses; on a single micro-batch this equals "bnpo".
   */
  public record GlobalTokenMean() implements Aggregation {
    @Override public Tensor reduce(Tensor masked, Tensor mask, double batchTokens) {
      double n = batchTokens > 0 ? batchTokens : Ops.value(mask.sum());
      return masked.sum().div(s(Math.max(1, n))); // ()
    }
  }

  /** Where the importance weight lives (TRL importance_sampling_level). */
  public enum ImportanceLevel {
    /** One ratio per token (GRPO, DAPO). */
    TOKEN,
    /** One ratio per sequence, exp of the mean token log-ratio (GSPO). */
    SEQUENCE;

    /** log w: (B, T) per token or (B, 1) per sequence, from the masked log-ratios (B, T). */
    Tensor logWeights(Tensor logRatio, Tensor mask) {
      if (this == TOKEN) return logRatio; // (B, T)
      return logRatio.sum(1).div(mask.sum(1).clamp_min(s(1))).unsqueeze(1); // (B, 1)
    }

    /** What a clip fraction averages over: counted tokens (B, T), or counted sequences (B, 1). */
    Tensor countWeights(Tensor mask) {
      if (this == TOKEN) return mask; // (B, T)
      return Ops.like(mask.sum(1).gt(s(0)), mask).unsqueeze(1); // (B, 1)
    }
  }

  /**
   * epsLow/epsHigh clip bounds (> 0; DAPO's clip-higher uses epsHigh > epsLow, e.g. 0.2/0.28),
   * beta >= 0 (KL-to-reference weight; 0 needs no reference), the aggregation and where the
   * importance weight lives.
   */
  public record Config(double epsLow, double epsHigh, double beta, Aggregation aggregation, ImportanceLevel importance) {
    public static final Config DEFAULT = new Config(0.2, 0.2, 0.0, new SequenceMean());

    public Config {
      Ops.requirePositive("epsLow", epsLow);
      Ops.requirePositive("epsHigh", epsHigh);
      Ops.requireNonNegative("beta", beta);
      if (aggregation == null) throw new IllegalArgumentException("aggregation is required");
      if (importance == null) throw new IllegalArgumentException("importance level is required (TOKEN or SEQUENCE)");
    }

    /** Token-level importance weights. */
    public Config(double epsLow, double epsHigh, double beta, Aggregation aggregation) {
      this(epsLow, epsHigh, beta, aggregation, ImportanceLevel.TOKEN);
    }
  }

  /** TRL's GRPO loss_type names, in the order {@link #named} accepts them. */
  public static final java.util.List<String> NAMES = java.util.List.of("grpo", "bnpo", "dapo", "dr_grpo", "gspo");

  /**
   * TRL's loss_type as a config: grpo (sequence mean), bnpo (token mean of the micro-batch), dapo (token mean of the
   * optimizer step), dr_grpo (sum over a fixed {@code responseLength}), gspo (grpo with sequence-level importance
   * ratios). {@code epsilon}/{@code epsilonHigh} null = 0.2 (gspo: 3e-4 / 4e-4, GSPO's values); an epsilonHigh
   * above epsilon is DAPO's clip-higher.
   */
  public static Config named(String lossType, Double epsilon, Double epsilonHigh, double beta, int responseLength) {
    String type = lossType.trim().toLowerCase(java.util.Locale.ROOT);
    boolean gspo = type.equals("gspo");
    double eps = epsilon != null ? epsilon : gspo ? 3e-4 : 0.2;
    double high = epsilonHigh != null ? epsilonHigh : gspo && epsilon == null ? 4e-4 : eps;
    Aggregation agg = switch (type) {
      case "grpo", "gspo" -> new SequenceMean();
      case "bnpo" -> new TokenMean();
      case "dapo" -> new GlobalTokenMean();
      case "dr_grpo" -> new FixedLength(responseLength);
      default -> throw new IllegalArgumentException("loss_type must be one of " + String.join(", ", NAMES) + "; got '" + lossType + "'");
    };
    return new Config(eps, high, beta, agg, gspo ? ImportanceLevel.SEQUENCE : ImportanceLevel.TOKEN);
  }

  /**
   * kl = masked mean of k3 (0 when no reference is given); clip ratios (TRL's
   * clip_ratio/region_mean, low_mean, high_mean) are means over counted tokens (over counted
   * sequences for sequence-level weights) of w &lt; 1-epsLow with A &lt; 0 (low), w &gt;
   * 1+epsHigh with A &gt; 0 (high), either (region); lowMin and highMax are the smallest and
   * largest per-sequence fractions.
   */
  public record Metrics(double loss, double kl, double clipRatio, double clipLow, double clipHigh, double clipLowMin,
      double clipHighMax) {}

  public record Result(Tensor loss, Metrics metrics) {}

  /** As {@link #compute(Config, Tensor, Tensor, Tensor, Tensor, Tensor, double)} with this micro-batch as the whole batch. */
  public static Result compute(Config cfg, Tensor logps, Tensor oldLogps, Tensor refLogps, Tensor advantages,
      Tensor mask) {
    return compute(cfg, logps, oldLogps, refLogps, advantages, mask, 0);
  }

  /**
   * @param logps       (B, T) current policy token log-probs (carries the gradient)
   * @param oldLogps    (B, T) rollout policy log-probs, or null for one update per batch (ratio 1)
   * @param refLogps    (B, T) reference log-probs, or null when beta is 0
   * @param advantages  (B) one advantage per sequence
   * @param mask        (B, T) completion mask
   * @param batchTokens the token count {@link GlobalTokenMean} divides by; 0 = this micro-batch's
   */
  public static Result compute(Config cfg, Tensor logps, Tensor oldLogps, Tensor refLogps, Tensor advantages,
      Tensor mask, double batchTokens) {
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
    Tensor w = cfg.importance().logWeights(lp.sub(old).mul(m), m).exp(); // (B, T) or (B, 1)
    Tensor clipped = w.clamp_min(s(1 - cfg.epsLow())).clamp_max(s(1 + cfg.epsHigh())); // like w
    Tensor perToken = w.mul(adv).minimum(clipped.mul(adv)).neg(); // (B, T) or (B, 1)
    double klMean = 0;
    if (refLogps != null) {
      Tensor ref = checked("refLogps", refLogps, lp).detach(); // (B, T)
      Tensor kl = KlEstimator.K3.perToken(lp, ref, m); // (B, T)
      klMean = Ops.value(m.sum()) > 0 ? Ops.value(Masked.mean(kl, m)) : 0; // a fully masked batch has no KL to report
      if (cfg.beta() > 0) perToken = perToken.add(kl.mul(s(cfg.beta()))); // (B, T)
    }
    Tensor loss = cfg.aggregation().reduce(perToken.mul(m), m, batchTokens); // ()
    return new Result(loss, metrics(cfg, Ops.value(loss), klMean, w.detach(), adv, m));
  }

  private static Metrics metrics(Config cfg, double loss, double kl, Tensor w, Tensor adv, Tensor m) {
    Tensor low = Ops.like(w.lt(s(1 - cfg.epsLow())).logical_and(adv.lt(s(0)).expand_as(w)), m); // like w
    Tensor high = Ops.like(w.gt(s(1 + cfg.epsHigh())).logical_and(adv.gt(s(0)).expand_as(w)), m); // like w
    Tensor region = low.add(high).clamp_max(s(1)); // like w
    Tensor counted = m.sum(1).gt(s(0)); // (B) rows with at least one counted token
    Tensor weight = cfg.importance().countWeights(m); // like w
    Tensor lowRows = rowFractions(low, weight), highRows = rowFractions(high, weight); // (B), (B)
    boolean any = Ops.value(counted.sum()) > 0;
    double lowMin = any ? Ops.value(lowRows.where(counted, s(Double.POSITIVE_INFINITY)).amin()) : 0;
    double highMax = any ? Ops.value(highRows.where(counted, s(Double.NEGATIVE_INFINITY)).amax()) : 0;
    return new Metrics(loss, kl, fraction(region, weight), fraction(low, weight), fraction(high, weight), lowMin, highMax);
  }

  /** Weighted mean over everything: sum(x * weight) / sum(weight), 0 when nothing counts. */
  private static double fraction(Tensor x, Tensor weight) {
    double n = Ops.value(weight.sum());
    return n == 0 ? 0 : Ops.value(x.mul(weight).sum()) / n;
  }

  /** Per-row weighted means (B); rows without weight give 0. */
  private static Tensor rowFractions(Tensor x, Tensor weight) {
    return x.mul(weight).sum(1).div(weight.sum(1).clamp_min(s(1))); // (B)
  }

  private static Tensor checked(String name, Tensor t, Tensor lp) {
    Ops.requireSameShape(name, t, "logps", lp);
    return Ops.like(t, lp); // (B, T)
  }
}

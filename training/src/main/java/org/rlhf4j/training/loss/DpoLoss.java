package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Offline preference losses (TRL DPOTrainer loss types, plus SimPO from CPOTrainer and ORPO).
 * Inputs are sequence log-probs (sum over response tokens, {@link LogProbs#sequence}) of the
 * policy and, for the variants that need one, the frozen reference, each (B). Each
 * {@link Variant} states what it needs ({@link Variant#needsReference()},
 * {@link Variant#lengthNormalised()}) and computes its per-example loss from {@link Terms};
 * loss = mean over the batch. With h = (pi_c - pi_r) - (ref_c - ref_r):
 * <ul>
 *   <li>{@link Sigmoid}: -log sigma(beta h) (standard DPO)</li>
 *   <li>{@link Conservative}: -(1-eps) log sigma(beta h) - eps log sigma(-beta h) (cDPO)</li>
 *   <li>{@link Ipo}: (h - 1/(2 beta))^2 on length-normalised log-probs (as TRL)</li>
 *   <li>{@link Hinge}: relu(1 - beta h) (SLiC)</li>
 * </ul>
 * and the variants in {@link DpoVariants} (robust, BCO, APO, NCA, SPPO, EXO, AOT, SimPO, ORPO,
 * SFT, weighted mixtures). Implicit rewards are beta * (pi - ref), with ref = 0
 * for reference-free variants and both length-normalised when the variant normalises.
 */
public final class DpoLoss {
  private DpoLoss() {}

  /** A preference loss type: what it needs and its per-example loss. */
  public sealed interface Variant permits Sigmoid, Conservative, Ipo, Hinge, DpoVariants.Robust,
      DpoVariants.BcoPair, DpoVariants.ApoZero, DpoVariants.ApoDown, DpoVariants.NcaPair, DpoVariants.SppoHard,
      DpoVariants.ExoPair, DpoVariants.Aot, DpoVariants.AotPair, DpoVariants.SimPo, DpoVariants.Orpo,
      DpoVariants.Sft, DpoVariants.Mixture {
    /** Scales the implicit rewards (and the loss, where the variant's definition uses it); > 0. */
    double beta();

    /** Whether the loss reads the reference model's log-probs (false: no reference is loaded). */
    default boolean needsReference() { return true; }

    /**
     * Whether the loss reads statistics kept across batches (BCO's running reward mean): then one example's loss
     * depends on earlier examples, which DP-SGD's per-example clipping cannot bound, so private training refuses it.
     */
    default boolean usesRunningStatistics() { return false; }

    /** Whether the loss reads per-token means (sequence sum / response length) instead of sums. */
    default boolean lengthNormalised() { return false; }

    /**
     * Whether the loss trains towards soft labels ({@link Inputs#chosenProbability()}): the Bradley-Terry ones
     * (sigmoid, cDPO) do; the others read the chosen side only and treat every pair as hard.
     */
    default boolean readsSoftLabels() { return false; }

    /** Per-example losses (B), differentiable in the policy log-probs. */
    Tensor perExample(Terms t);

    /** Extra metrics of this loss (TRL names), e.g. ORPO's {@code nll_loss}; none by default. */
    default Map<String, Double> metrics(Terms t) { return Map.of(); }
  }

  /** Standard DPO; beta defaults to 0.1. */
  public record Sigmoid(double beta) implements Variant {
    public Sigmoid { Ops.requirePositive("beta", beta); }
    public Sigmoid() { this(0.1); }

    @Override public Tensor perExample(Terms t) { // (B)
      Tensor z = t.logits().mul(s(beta)); // (B)
      Tensor p = t.chosenProbability();
      return p == null ? log_sigmoid(z).neg() : softSigmoid(z, p);
    }

    @Override public boolean readsSoftLabels() { return true; }
  }

  /** Conservative DPO: preference labels flipped with probability labelSmoothing in (0, 0.5). */
  public record Conservative(double beta, double labelSmoothing) implements Variant {
    public Conservative {
      Ops.requirePositive("beta", beta);
      if (!(labelSmoothing > 0 && labelSmoothing < 0.5)) {
        throw new IllegalArgumentException("labelSmoothing must be in (0, 0.5), got " + labelSmoothing);
      }
    }

    /** With a soft label p the target is p (1 - eps) + (1 - p) eps: the label is flipped with probability eps. */
    @Override public Tensor perExample(Terms t) { // (B)
      Tensor z = t.logits().mul(s(beta)); // (B)
      Tensor p = t.chosenProbability();
      if (p == null) return smoothedSigmoid(z, labelSmoothing);
      return softSigmoid(z, p.mul(s(1 - 2 * labelSmoothing)).add(s(labelSmoothing)));
    }

    @Override public boolean readsSoftLabels() { return true; }
  }

  /** Identity preference optimisation (squared loss towards a log-ratio gap of 1/(2 beta)). */
  public record Ipo(double beta) implements Variant {
    public Ipo { Ops.requirePositive("beta", beta); }

    @Override public boolean lengthNormalised() { return true; }

    @Override public Tensor perExample(Terms t) { return t.logits().sub(s(1 / (2 * beta))).square(); } // (B)
  }

  /** SLiC hinge loss with margin 1/beta on the log-ratio gap. */
  public record Hinge(double beta) implements Variant {
    public Hinge { Ops.requirePositive("beta", beta); }

    @Override public Tensor perExample(Terms t) { return t.logits().mul(s(-beta)).add(s(1)).relu(); } // (B)
  }

  /** -(1-eps) log sigma(z) - eps log sigma(-z), (B); eps = 0 is -log sigma(z). */
  /** Cross-entropy of sigma(z) against the target probabilities q (B): -q log sigma(z) - (1 - q) log sigma(-z). */
  static Tensor softSigmoid(Tensor z, Tensor q) {
    return log_sigmoid(z).mul(q).add(log_sigmoid(z.neg()).mul(q.neg().add(s(1)))).neg(); // (B)
  }

    static Tensor smoothedSigmoid(Tensor z, double eps) {
    Tensor agree = log_sigmoid(z).mul(s(-(1 - eps))); // (B)
    return eps == 0 ? agree : agree.add(log_sigmoid(z.neg()).mul(s(-eps))); // (B)
  }

  /**
   * Summed response log-probs (B) and response lengths (B). The reference ones may be null
   * when the variant needs no reference. Without lengths the log-probs are used as given
   * (already normalised where the variant wants it) and no chosen NLL is available. {@code chosenProbability} (B),
   * or null for hard labels, is each pair's P(chosen preferred), read by {@link Variant#readsSoftLabels()} losses.
   */
  public record Inputs(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected,
      Tensor chosenLengths, Tensor rejectedLengths, Tensor chosenProbability) {
    /** Hard labels: every chosen response preferred with probability 1. */
    public Inputs(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected,
        Tensor chosenLengths, Tensor rejectedLengths) {
      this(policyChosen, policyRejected, referenceChosen, referenceRejected, chosenLengths, rejectedLengths, null);
    }

    public Inputs {
      Ops.requireDim("policyChosen", policyChosen, 1, "(B)");
      Ops.requireSameShape("policyRejected", policyRejected, "policyChosen", policyChosen);
      if ((referenceChosen == null) != (referenceRejected == null)) {
        throw new IllegalArgumentException("referenceChosen and referenceRejected must both be given or both be null");
      }
      if (referenceChosen != null) {
        Ops.requireSameShape("referenceChosen", referenceChosen, "policyChosen", policyChosen);
        Ops.requireSameShape("referenceRejected", referenceRejected, "policyChosen", policyChosen);
      }
      if ((chosenLengths == null) != (rejectedLengths == null)) {
        throw new IllegalArgumentException("chosenLengths and rejectedLengths must both be given or both be null");
      }
      if (chosenLengths != null) {
        Ops.requireSameShape("chosenLengths", chosenLengths, "policyChosen", policyChosen);
        Ops.requireSameShape("rejectedLengths", rejectedLengths, "policyChosen", policyChosen);
      }
      if (chosenProbability != null) Ops.requireSameShape("chosenProbability", chosenProbability, "policyChosen", policyChosen);
    }
  }

  /**
   * What a variant reads, in its own view: the four sequence log-probs (B), length-normalised
   * when {@link Variant#lengthNormalised()} and lengths were given, reference ones 0 when it
   * needs no reference (the reference ones detached); the chosen NLL () when lengths were given
   * (token mean over the batch's chosen responses, the SFT loss); the run's reward baseline (or
   * null), and the raw inputs (a mixture of losses derives each part's view from them).
   */
  public record Terms(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected,
      Tensor nll, RewardBaseline baseline, Inputs inputs) {

    /** {@code v}'s view of {@code in}. */
    public static Terms of(Variant v, Inputs in, RewardBaseline baseline) {
      Tensor pc = Ops.upcast("policyChosen", in.policyChosen()); // (B)
      Tensor pr = Ops.like(in.policyRejected(), pc); // (B)
      Tensor rc, rr;
      if (v.needsReference()) {
        if (in.referenceChosen() == null) {
          throw new IllegalArgumentException(v.getClass().getSimpleName() + " needs reference log-probs (referenceChosen/referenceRejected)");
        }
        rc = Ops.like(in.referenceChosen(), pc).detach(); // (B)
        rr = Ops.like(in.referenceRejected(), pc).detach(); // (B)
      } else {
        rc = pc.detach().mul(s(0)); // (B)
        rr = rc;
      }
      Tensor nll = null;
      if (in.chosenLengths() != null) {
        Tensor lc = Ops.like(in.chosenLengths(), pc).clamp_min(s(1)); // (B)
        Tensor lr = Ops.like(in.rejectedLengths(), pc).clamp_min(s(1)); // (B)
        nll = pc.sum().neg().div(Ops.like(in.chosenLengths(), pc).sum().clamp_min(s(1))); // ()
        if (v.lengthNormalised()) {
          pc = pc.div(lc);
          pr = pr.div(lr);
          rc = rc.div(lc);
          rr = rr.div(lr);
        }
      }
      return new Terms(pc, pr, rc, rr, nll, baseline, in);
    }

    /** h = (pi_c - pi_r) - (ref_c - ref_r), (B). */
    public Tensor logits() { return DpoLoss.logits(policyChosen, policyRejected, referenceChosen, referenceRejected); }

    /** P(chosen preferred) per pair (B) in this view's dtype, or null for hard labels. */
    public Tensor chosenProbability() {
      return inputs == null || inputs.chosenProbability() == null ? null : Ops.like(inputs.chosenProbability(), policyChosen);
    }

    /** pi_c - ref_c, (B). */
    public Tensor chosenLogratio() { return policyChosen.sub(referenceChosen); }

    /** pi_r - ref_r, (B). */
    public Tensor rejectedLogratio() { return policyRejected.sub(referenceRejected); }

    /** The chosen responses' NLL (), or a clear error when no lengths were given. */
    public Tensor chosenNll() {
      if (nll == null) throw new IllegalArgumentException("this loss needs the chosen NLL: give response lengths (DpoLoss.Inputs)");
      return nll;
    }

    /**
     * The reward shift delta for a batch of detached implicit rewards (2B): the running mean
     * of all rewards seen so far (this batch included) when a baseline is kept, else this
     * batch's mean.
     */
    public double rewardShift(Tensor rewards) {
      double mean = Ops.value(rewards.mean());
      return baseline == null ? mean : baseline.add(mean, rewards.numel());
    }
  }

  /** A running mean of implicit rewards over a run (BCO's reward shift); not thread-safe. */
  public static final class RewardBaseline {
    private double mean;
    private long count;

    /** Adds {@code n} rewards with mean {@code batchMean}; returns the running mean. */
    public double add(double batchMean, long n) {
      count += n;
      mean += (batchMean - mean) * n / count;
      return mean;
    }

    public double mean() { return mean; }

    public long count() { return count; }
  }

  /**
   * Batch means: chosen/rejected implicit rewards, reward accuracy (strict chosen > rejected),
   * reward margin, the policy's chosen and rejected sequence log-probs (as the variant reads
   * them), and the variant's own metrics ({@link Variant#metrics}).
   */
  public record Metrics(double loss, double chosenReward, double rejectedReward, double rewardAccuracy,
      double rewardMargin, double policyChosenLogps, double policyRejectedLogps, Map<String, Double> extra) {
    public Metrics { extra = Map.copyOf(extra); }
  }

  /** loss (), per-example losses (B), and the detached implicit rewards (B). */
  public record Result(Tensor loss, Tensor losses, Tensor chosenRewards, Tensor rejectedRewards, Metrics metrics) {}

  /** All inputs (B) sequence log-probs used as given; the reference ones are detached here. */
  public static Result compute(Variant v, Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen,
      Tensor referenceRejected) {
    return compute(v, new Inputs(policyChosen, policyRejected, referenceChosen, referenceRejected, null, null), null);
  }

  /** The loss of {@code v} on {@code in}; {@code baseline} (may be null) is the run's reward baseline. */
  public static Result compute(Variant v, Inputs in, RewardBaseline baseline) {
    if (v == null) throw new IllegalArgumentException("DPO variant is required");
    if (in == null) throw new IllegalArgumentException("DPO inputs are required");
    Terms t = Terms.of(v, in, baseline);
    Tensor losses = v.perExample(t); // (B)
    Tensor loss = losses.mean(); // ()
    Tensor chosenRewards = t.policyChosen().detach().sub(t.referenceChosen()).mul(s(v.beta())); // (B)
    Tensor rejectedRewards = t.policyRejected().detach().sub(t.referenceRejected()).mul(s(v.beta())); // (B)
    Tensor wins = chosenRewards.gt(rejectedRewards).to(chosenRewards.scalar_type()); // (B)
    Metrics m = new Metrics(Ops.value(loss), Ops.value(chosenRewards.mean()), Ops.value(rejectedRewards.mean()),
        Ops.value(wins.mean()), Ops.value(chosenRewards.sub(rejectedRewards).mean()),
        Ops.value(t.policyChosen().mean()), Ops.value(t.policyRejected().mean()), v.metrics(t));
    return new Result(loss, losses, chosenRewards, rejectedRewards, m);
  }

  /** h = (policyChosen - policyRejected) - (referenceChosen - referenceRejected), each (B). */
  public static Tensor logits(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen,
      Tensor referenceRejected) {
    Ops.requireDim("policyChosen", policyChosen, 1, "(B)");
    Ops.requireSameShape("policyRejected", policyRejected, "policyChosen", policyChosen);
    Ops.requireSameShape("referenceChosen", referenceChosen, "policyChosen", policyChosen);
    Ops.requireSameShape("referenceRejected", referenceRejected, "policyChosen", policyChosen);
    Tensor policy = policyChosen.sub(policyRejected); // (B)
    Tensor reference = referenceChosen.sub(referenceRejected); // (B)
    return policy.sub(reference); // (B)
  }
}

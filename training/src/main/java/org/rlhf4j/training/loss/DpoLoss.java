package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * Direct preference optimisation and its relatives (TRL DPOTrainer loss types). Inputs are
 * sequence log-probs (sum over response tokens, {@link LogProbs#sequence}) of the policy and
 * the frozen reference on the chosen and rejected responses, each (B). With
 * h = (pi_c - pi_r) - (ref_c - ref_r):
 * <ul>
 *   <li>{@link Sigmoid}: -log sigma(beta h) (standard DPO)</li>
 *   <li>{@link Conservative}: -(1-eps) log sigma(beta h) - eps log sigma(-beta h) (cDPO; TRL's
 *       sigmoid with label_smoothing)</li>
 *   <li>{@link Ipo}: (h - 1/(2 beta))^2. TRL's IPO length-normalises: pass
 *       {@link LogProbs#sequenceMean} log-probs to reproduce it.</li>
 *   <li>{@link Hinge}: relu(1 - beta h) (SLiC)</li>
 * </ul>
 * loss = mean over the batch. Implicit rewards are beta * (pi - ref).
 */
public final class DpoLoss {
  private DpoLoss() {}

  /** A DPO loss type; every variant carries its beta (> 0). */
  public sealed interface Variant permits Sigmoid, Conservative, Ipo, Hinge {
    double beta();
  }

  /** Standard DPO; beta defaults to 0.1. */
  public record Sigmoid(double beta) implements Variant {
    public Sigmoid { Ops.requirePositive("beta", beta); }
    public Sigmoid() { this(0.1); }
  }

  /** Conservative DPO: preference labels flipped with probability labelSmoothing in (0, 0.5). */
  public record Conservative(double beta, double labelSmoothing) implements Variant {
    public Conservative {
      Ops.requirePositive("beta", beta);
      if (!(labelSmoothing > 0 && labelSmoothing < 0.5)) {
        throw new IllegalArgumentException("labelSmoothing must be in (0, 0.5), got " + labelSmoothing);
      }
    }
  }

  /** Identity preference optimisation (squared loss towards a log-ratio gap of 1/(2 beta)). */
  public record Ipo(double beta) implements Variant {
    public Ipo { Ops.requirePositive("beta", beta); }
  }

  /** SLiC hinge loss with margin 1/beta on the log-ratio gap. */
  public record Hinge(double beta) implements Variant {
    public Hinge { Ops.requirePositive("beta", beta); }
  }

  /**
   * Batch means: chosen/rejected implicit rewards, reward accuracy (strict chosen > rejected),
   * reward margin, and the policy's chosen and rejected sequence log-probs.
   */
  public record Metrics(double loss, double chosenReward, double rejectedReward, double rewardAccuracy,
      double rewardMargin, double policyChosenLogps, double policyRejectedLogps) {}

  /** loss (), per-example losses (B), and the detached implicit rewards (B). */
  public record Result(Tensor loss, Tensor losses, Tensor chosenRewards, Tensor rejectedRewards, Metrics metrics) {}

  /** All inputs (B) sequence log-probs; the reference ones are detached here. */
  public static Result compute(Variant v, Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen,
      Tensor referenceRejected) {
    if (v == null) throw new IllegalArgumentException("DPO variant is required");
    Tensor pc = Ops.upcast("policyChosen", policyChosen); // (B)
    Tensor pr = Ops.like(policyRejected, pc); // (B)
    Tensor rc = Ops.like(referenceChosen, pc).detach(); // (B)
    Tensor rr = Ops.like(referenceRejected, pc).detach(); // (B)
    Tensor h = logits(pc, pr, rc, rr); // (B)
    Tensor losses = perExample(v, h); // (B)
    Tensor loss = losses.mean(); // ()
    Tensor chosenRewards = pc.detach().sub(rc).mul(s(v.beta())); // (B)
    Tensor rejectedRewards = pr.detach().sub(rr).mul(s(v.beta())); // (B)
    Tensor wins = chosenRewards.gt(rejectedRewards).to(pc.scalar_type()); // (B)
    Metrics m = new Metrics(Ops.value(loss), Ops.value(chosenRewards.mean()), Ops.value(rejectedRewards.mean()),
        Ops.value(wins.mean()), Ops.value(chosenRewards.sub(rejectedRewards).mean()), Ops.value(pc.mean()),
        Ops.value(pr.mean()));
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

  /** Per-example loss of variant {@code v} on logits h (B). */
  public static Tensor perExample(Variant v, Tensor h) {
    double beta = v.beta();
    if (v instanceof Sigmoid) {
      return log_sigmoid(h.mul(s(beta))).neg(); // (B)
    } else if (v instanceof Conservative c) {
      double eps = c.labelSmoothing();
      Tensor z = h.mul(s(beta)); // (B)
      Tensor agree = log_sigmoid(z).mul(s(-(1 - eps))); // (B)
      Tensor flip = log_sigmoid(z.neg()).mul(s(-eps)); // (B)
      return agree.add(flip); // (B)
    } else if (v instanceof Ipo) {
      return h.sub(s(1 / (2 * beta))).square(); // (B)
    } else if (v instanceof Hinge) {
      return h.mul(s(-beta)).add(s(1)).relu(); // (B)
    }
    throw new AssertionError("unhandled DPO variant " + v);
  }
}

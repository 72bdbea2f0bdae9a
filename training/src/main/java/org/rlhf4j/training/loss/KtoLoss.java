package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Losses on unpaired, binary-labelled completions (TRL KTOTrainer / BCOTrainer). With the log-ratio
 * r = log pi(y|x) - log pi_ref(y|x) of each completion (B) and its label (desirable or not):
 * <ul>
 *   <li>{@link Kto} (TRL loss_type "kto", Ethayarajh et al. 2024): desirable w_d (1 - sigma(beta (r - z0))),
 *       undesirable w_u (1 - sigma(beta (z0 - r))); z0 = max(0, mean(pi_KL - ref_KL)) the reference point,
 *       estimated from mismatched (prompt, completion) pairs and detached</li>
 *   <li>{@link ApoZeroUnpaired} (TRL "apo_zero_unpaired"): desirable w_d (1 - sigma(beta r)), undesirable
 *       w_u sigma(beta r); no KL term</li>
 *   <li>{@link Bco} (TRL BCOTrainer without UDM, Jung et al. 2024): desirable -log sigma(beta r - delta),
 *       undesirable -log sigma(-(beta r - delta)); delta the running mean of the implicit rewards beta r</li>
 * </ul>
 * The loss is the mean over all B completions (TRL: nanmean over the concatenated weighted losses).
 */
public final class KtoLoss {
  private KtoLoss() {}

  /** A loss over unpaired labels: beta, whether it needs the KL reference point, its per-example losses. */
  public sealed interface Variant permits Kto, ApoZeroUnpaired, Bco {
    double beta();

    /** Whether the mismatched-pair KL estimate z0 is needed (TRL calculate_KL). */
    default boolean needsKl() { return false; }

    /** Whether the variant reads the running reward mean delta (BCO). */
    default boolean usesRewardShift() { return false; }

    /** Loss of each desirable completion, (B), from log-ratios r (B), the reference point z0 and delta. */
    Tensor desirable(Tensor r, double z0, double delta);

    /** Loss of each undesirable completion, (B). */
    Tensor undesirable(Tensor r, double z0, double delta);
  }

  /** KTO with TRL's defaults beta 0.1, desirable_weight 1, undesirable_weight 1. */
  public record Kto(double beta, double desirableWeight, double undesirableWeight) implements Variant {
    public Kto {
      Ops.requirePositive("beta", beta);
      Ops.requirePositive("desirable_weight", desirableWeight);
      Ops.requirePositive("undesirable_weight", undesirableWeight);
    }

    public Kto() { this(0.1, 1, 1); }

    @Override public boolean needsKl() { return true; }

    @Override public Tensor desirable(Tensor r, double z0, double delta) {
      return r.sub(s(z0)).mul(s(beta)).sigmoid().neg().add(s(1)).mul(s(desirableWeight)); // (B)
    }

    @Override public Tensor undesirable(Tensor r, double z0, double delta) {
      return r.neg().add(s(z0)).mul(s(beta)).sigmoid().neg().add(s(1)).mul(s(undesirableWeight)); // (B)
    }
  }

  /** APO-zero on unpaired data: raise desirable likelihoods, lower undesirable ones, no reference point. */
  public record ApoZeroUnpaired(double beta, double desirableWeight, double undesirableWeight) implements Variant {
    public ApoZeroUnpaired {
      Ops.requirePositive("beta", beta);
      Ops.requirePositive("desirable_weight", desirableWeight);
      Ops.requirePositive("undesirable_weight", undesirableWeight);
    }

    @Override public Tensor desirable(Tensor r, double z0, double delta) {
      return r.mul(s(beta)).sigmoid().neg().add(s(1)).mul(s(desirableWeight)); // (B)
    }

    @Override public Tensor undesirable(Tensor r, double z0, double delta) {
      return r.mul(s(beta)).sigmoid().mul(s(undesirableWeight)); // (B)
    }
  }

  /** Binary classifier optimisation: implicit rewards classified against their running mean. */
  public record Bco(double beta) implements Variant {
    public Bco { Ops.requirePositive("beta", beta); }

    @Override public boolean usesRewardShift() { return true; }

    @Override public Tensor desirable(Tensor r, double z0, double delta) {
      return log_sigmoid(r.mul(s(beta)).sub(s(delta))).neg(); // (B)
    }

    @Override public Tensor undesirable(Tensor r, double z0, double delta) {
      return log_sigmoid(r.mul(s(beta)).sub(s(delta)).neg()).neg(); // (B)
    }
  }

  /**
   * Summed completion log-probs of the policy and the reference (B), the labels (B, true = desirable),
   * and for KTO the policy's and the reference's log-probs of the mismatched pairs (K each, any K >= 1;
   * null when the variant needs none). The reference and KL ones are detached here.
   */
  public record Inputs(Tensor policy, Tensor reference, boolean[] desirable, Tensor policyKl, Tensor referenceKl) {
    public Inputs {
      Ops.requireDim("policy", policy, 1, "(B)");
      Ops.requireSameShape("reference", reference, "policy", policy);
      if (desirable == null || desirable.length != policy.size(0)) {
        throw new IllegalArgumentException("desirable needs one label per completion: " + policy.size(0) + ", got "
            + (desirable == null ? "none" : desirable.length));
      }
      if ((policyKl == null) != (referenceKl == null)) {
        throw new IllegalArgumentException("policyKl and referenceKl must both be given or both be null");
      }
      if (policyKl != null) {
        Ops.requireDim("policyKl", policyKl, 1, "(K)");
        Ops.requireSameShape("referenceKl", referenceKl, "policyKl", policyKl);
      }
    }
  }

  /**
   * Batch figures under TRL's names: {@code kl} (z0), {@code rewards/chosen} and {@code rewards/rejected} (mean
   * beta r over desirable / undesirable completions; NaN when the batch has none), {@code logps/chosen},
   * {@code logps/rejected}, {@code count/chosen}, {@code count/rejected}; BCO adds {@code delta}.
   */
  public record Metrics(double loss, double kl, double chosenReward, double rejectedReward, double chosenLogps,
      double rejectedLogps, int chosenCount, int rejectedCount, double delta) {

    /**
     * The defined figures under TRL's names (means over an empty side are left out), without {@code loss}:
     * {@code delta} for BCO ({@code withDelta}), {@code kl} otherwise.
     */
    public Map<String, Double> named(boolean withDelta) {
      Map<String, Double> m = new LinkedHashMap<>();
      if (!withDelta) m.put("kl", kl);
      if (chosenCount > 0) {
        m.put("rewards/chosen", chosenReward);
        m.put("logps/chosen", chosenLogps);
      }
      if (rejectedCount > 0) {
        m.put("rewards/rejected", rejectedReward);
        m.put("logps/rejected", rejectedLogps);
      }
      if (chosenCount > 0 && rejectedCount > 0) m.put("rewards/margins", chosenReward - rejectedReward);
      m.put("count/chosen", (double) chosenCount);
      m.put("count/rejected", (double) rejectedCount);
      if (withDelta) m.put("delta", delta);
      return m;
    }
  }

  /** loss (), per-example losses (B), detached implicit rewards beta r (B). */
  public record Result(Tensor loss, Tensor losses, Tensor rewards, Metrics metrics) {}

  /** The reference point z0 = max(0, mean(policyKl - referenceKl)), detached; 0 without KL inputs. */
  public static double referencePoint(Tensor policyKl, Tensor referenceKl) {
    if (policyKl == null) return 0;
    Tensor p = Ops.upcast("policyKl", policyKl);
    return Math.max(0, Ops.value(p.detach().sub(Ops.like(referenceKl, p).detach()).mean()));
  }

  /** The loss of {@code v} on {@code in}; {@code baseline} (may be null: this batch's mean) keeps BCO's delta. */
  public static Result compute(Variant v, Inputs in, DpoLoss.RewardBaseline baseline) {
    if (v == null) throw new IllegalArgumentException("KTO variant is required");
    if (in == null) throw new IllegalArgumentException("KTO inputs are required");
    if (v.needsKl() && in.policyKl() == null) {
      throw new IllegalArgumentException(v.getClass().getSimpleName() + " needs the KL log-probs (policyKl/referenceKl)");
    }
    Tensor pol = Ops.upcast("policy", in.policy()); // (B)
    Tensor r = pol.sub(Ops.like(in.reference(), pol).detach()); // (B)
    Tensor rewards = r.detach().mul(s(v.beta())); // (B)
    double z0 = v.needsKl() ? referencePoint(in.policyKl(), in.referenceKl()) : 0;
    double delta = 0;
    if (v.usesRewardShift()) {
      double mean = Ops.value(rewards.mean());
      delta = baseline == null ? mean : baseline.add(mean, rewards.numel());
    }
    Tensor mask = labels(in.desirable(), pol); // (B) bool
    Tensor losses = v.desirable(r, z0, delta).where(mask, v.undesirable(r, z0, delta)); // (B)
    Tensor loss = losses.mean(); // ()
    return new Result(loss, losses, rewards, metrics(Ops.value(loss), z0, delta, rewards, pol.detach(), in.desirable()));
  }

  private static Tensor labels(boolean[] desirable, Tensor like) {
    double[] d = new double[desirable.length];
    for (int i = 0; i < d.length; i++) d[i] = desirable[i] ? 1 : 0;
    return org.bytedeco.pytorch.AbstractTensor.create(d).to(like.device(), ScalarType.Double).gt(s(0.5)); // (B)
  }

  private static Metrics metrics(double loss, double z0, double delta, Tensor rewards, Tensor logps, boolean[] desirable) {
    double[] rw = values(rewards), lp = values(logps);
    double cr = 0, rr = 0, cl = 0, rl = 0;
    int nc = 0, nr = 0;
    for (int i = 0; i < desirable.length; i++) {
      if (desirable[i]) { cr += rw[i]; cl += lp[i]; nc++; }
      else { rr += rw[i]; rl += lp[i]; nr++; }
    }
    return new Metrics(loss, z0, nc == 0 ? Double.NaN : cr / nc, nr == 0 ? Double.NaN : rr / nr,
        nc == 0 ? Double.NaN : cl / nc, nr == 0 ? Double.NaN : rl / nr, nc, nr, delta);
  }

  private static double[] values(Tensor t) {
    Tensor c = t.to(ScalarType.Double).cpu().contiguous(); // (B)
    double[] out = new double[(int) c.numel()];
    for (int i = 0; i < out.length; i++) out[i] = c.select(0, i).item_double();
    return out;
  }
}

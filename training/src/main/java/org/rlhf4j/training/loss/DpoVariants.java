package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Tensors;

/**
 * The preference losses beyond DPO's four classics, each one {@link DpoLoss.Variant} record
 * (TRL's loss_type in brackets). cl = pi_c - ref_c and rl = pi_r - ref_r are the chosen and
 * rejected log-ratios, h = cl - rl, sigma the logistic function, all (B).
 * <ul>
 *   <li>{@link Robust} ("robust", Chowdhury et al. 2024): [-(1-e) log sigma(beta h) + e log sigma(-beta h)] / (1-2e)</li>
 *   <li>{@link BcoPair} ("bco_pair", Jung et al. 2024): -log sigma(beta cl - delta) - log sigma(-(beta rl - delta)),
 *       delta the running mean of the implicit rewards (the paper's reward shift)</li>
 *   <li>{@link ApoZero} / {@link ApoDown} ("apo_zero"/"apo_down", D'Oosterlinck et al. 2024, +1 as TRL):
 *       1 - sigma(beta cl) + sigma(beta rl); sigma(beta cl) + 1 - sigma(beta h)</li>
 *   <li>{@link NcaPair} ("nca_pair", Chen et al. 2024): -log sigma(beta cl) - 1/2 log sigma(-beta cl) - 1/2 log sigma(-beta rl)</li>
 *   <li>{@link SppoHard} ("sppo_hard", Wu et al. 2024): (cl - 1/(2 beta))^2 + (rl + 1/(2 beta))^2</li>
 *   <li>{@link ExoPair} ("exo_pair", Ji et al. 2024): KL((sigma(beta h), sigma(-beta h)) || (1-e, e))</li>
 *   <li>{@link Aot} / {@link AotPair} ("aot" paired / "aot_pair", TRL now "aot_unpaired", Melnyk et al. 2024):
 *       the smoothed sigmoid loss on sorted(pi_c - pi_r) - sorted(ref_c - ref_r), or on sorted(cl) - sorted(rl)</li>
 *   <li>{@link SimPo} (CPOTrainer "simpo" with cpo_alpha 0, Meng et al. 2024): -log sigma(beta (pi_c/|c| - pi_r/|r|) - gamma), no reference</li>
 *   <li>{@link Orpo} (ORPOTrainer, Hong et al. 2024): NLL_c - beta log sigma(log odds_c - log odds_r), odds = P/(1-P),
 *       log P = mean token log-prob, no reference</li>
 *   <li>{@link Sft} ("sft"): the chosen responses' NLL</li>
 *   <li>{@link Mixture} (a list of loss types with TRL's loss_weights): sum_i w_i loss_i</li>
 * </ul>
 * Expected numbers in the tests come from {@code training/src/test/python/reference_losses.py}.
 */
public final class DpoVariants {
  private DpoVariants() {}

  /** Robust DPO: unbiased under preference labels flipped with probability labelSmoothing in [0, 0.5). */
  public record Robust(double beta, double labelSmoothing) implements DpoLoss.Variant {
    public Robust {
      Ops.requirePositive("beta", beta);
      smoothing(labelSmoothing);
    }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor z = t.logits().mul(s(beta)); // (B)
      Tensor clean = log_sigmoid(z).mul(s(-(1 - labelSmoothing))); // (B)
      Tensor flipped = log_sigmoid(z.neg()).mul(s(labelSmoothing)); // (B)
      return clean.add(flipped).div(s(1 - 2 * labelSmoothing)); // (B)
    }
  }

  /** BCO on pairs: chosen classified 1, rejected 0, on rewards shifted by their running mean. */
  public record BcoPair(double beta) implements DpoLoss.Variant {
    public BcoPair { Ops.requirePositive("beta", beta); }

    @Override public boolean usesRunningStatistics() { return true; }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor rw = t.chosenLogratio().mul(s(beta)); // (B)
      Tensor rl = t.rejectedLogratio().mul(s(beta)); // (B)
      double delta = t.rewardShift(Tensors.cat(0, rw.detach(), rl.detach()));
      return log_sigmoid(rw.sub(s(delta))).add(log_sigmoid(rl.sub(s(delta)).neg())).neg(); // (B)
    }
  }

  /** APO-zero: raise the chosen likelihood, lower the rejected one (the model is worse than the winners). */
  public record ApoZero(double beta) implements DpoLoss.Variant {
    public ApoZero { Ops.requirePositive("beta", beta); }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor chosen = t.chosenLogratio().mul(s(beta)).sigmoid().neg().add(s(1)); // (B)
      return chosen.add(t.rejectedLogratio().mul(s(beta)).sigmoid()); // (B)
    }
  }

  /** APO-down: lower both, the rejected more (the model is already better than the winners). */
  public record ApoDown(double beta) implements DpoLoss.Variant {
    public ApoDown { Ops.requirePositive("beta", beta); }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor chosen = t.chosenLogratio().mul(s(beta)).sigmoid(); // (B)
      return chosen.add(t.logits().mul(s(beta)).sigmoid().neg().add(s(1))); // (B)
    }
  }

  /** NCA on pairs: optimises each response's absolute likelihood ratio. */
  public record NcaPair(double beta) implements DpoLoss.Variant {
    public NcaPair { Ops.requirePositive("beta", beta); }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor rw = t.chosenLogratio().mul(s(beta)); // (B)
      Tensor rl = t.rejectedLogratio().mul(s(beta)); // (B)
      Tensor half = log_sigmoid(rw.neg()).add(log_sigmoid(rl.neg())).mul(s(0.5)); // (B)
      return log_sigmoid(rw).add(half).neg(); // (B)
    }
  }

  /** SPPO with hard labels: chosen log-ratio towards 1/(2 beta), rejected towards -1/(2 beta). */
  public record SppoHard(double beta) implements DpoLoss.Variant {
    public SppoHard { Ops.requirePositive("beta", beta); }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor w = t.chosenLogratio().sub(s(0.5 / beta)).square(); // (B)
      return w.add(t.rejectedLogratio().add(s(0.5 / beta)).square()); // (B)
    }
  }

  /** EXO on pairs: reverse KL from the policy's pair distribution to labels (1-epsilon, epsilon), epsilon in (0, 1). */
  public record ExoPair(double beta, double epsilon) implements DpoLoss.Variant {
    public ExoPair {
      Ops.requirePositive("beta", beta);
      if (!(epsilon > 0 && epsilon < 1)) {
        throw new IllegalArgumentException("EXO epsilon (label_smoothing) must be in (0, 1), the paper uses 1e-3; got " + epsilon);
      }
    }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor z = t.logits().mul(s(beta)); // (B)
      Tensor logW = log_sigmoid(z), logL = log_sigmoid(z.neg()); // (B), (B)
      Tensor w = logW.exp().mul(logW.sub(s(Math.log1p(-epsilon)))); // (B)
      return w.add(logL.exp().mul(logL.sub(s(Math.log(epsilon))))); // (B)
    }
  }

  /** AOT for paired data: stochastic dominance on the sorted log-ratio gaps of policy and reference. */
  public record Aot(double beta, double labelSmoothing) implements DpoLoss.Variant {
    public Aot {
      Ops.requirePositive("beta", beta);
      smoothing(labelSmoothing);
    }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor policy = sorted(t.policyChosen().sub(t.policyRejected())); // (B)
      Tensor reference = sorted(t.referenceChosen().sub(t.referenceRejected())); // (B)
      return DpoLoss.smoothedSigmoid(policy.sub(reference).mul(s(beta)), labelSmoothing); // (B)
    }
  }

  /** AOT for unpaired data: sorted chosen log-ratios against sorted rejected log-ratios. */
  public record AotPair(double beta, double labelSmoothing) implements DpoLoss.Variant {
    public AotPair {
      Ops.requirePositive("beta", beta);
      smoothing(labelSmoothing);
    }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor delta = sorted(t.chosenLogratio()).sub(sorted(t.rejectedLogratio())); // (B)
      return DpoLoss.smoothedSigmoid(delta.mul(s(beta)), labelSmoothing); // (B)
    }
  }

  /** SimPO: reference-free, length-normalised, target reward margin gamma >= 0 (TRL: beta 0.1, simpo_gamma 0.5). */
  public record SimPo(double beta, double gamma) implements DpoLoss.Variant {
    public SimPo {
      Ops.requirePositive("beta", beta);
      Ops.requireNonNegative("gamma", gamma);
    }

    @Override public boolean needsReference() { return false; }

    @Override public boolean lengthNormalised() { return true; }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor margin = t.policyChosen().sub(t.policyRejected()).mul(s(beta)).sub(s(gamma)); // (B)
      return log_sigmoid(margin).neg(); // (B)
    }
  }

  /** ORPO: the chosen NLL plus beta (TRL's name for lambda, default 0.1) times the odds-ratio loss; no reference. */
  public record Orpo(double beta) implements DpoLoss.Variant {
    public Orpo { Ops.requirePositive("beta", beta); }

    @Override public boolean needsReference() { return false; }

    @Override public boolean lengthNormalised() { return true; }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      return log_sigmoid(logOdds(t)).mul(s(-beta)).add(t.chosenNll()); // (B)
    }

    @Override public Map<String, Double> metrics(DpoLoss.Terms t) {
      Tensor lo = logOdds(t).detach(); // (B)
      return Map.of("nll_loss", Ops.value(t.chosenNll()), "log_odds_chosen", Ops.value(lo.mean()),
          "log_odds_ratio", Ops.value(log_sigmoid(lo).mean()));
    }

    /** log(odds_c / odds_r) with odds = P/(1-P) and log P the mean token log-prob, (B). */
    static Tensor logOdds(DpoLoss.Terms t) {
      Tensor c = t.policyChosen(), r = t.policyRejected(); // (B), (B)
      return c.sub(log1mexp(c)).sub(r.sub(log1mexp(r))); // (B)
    }
  }

  /** The chosen responses' NLL (TRL "sft"); beta only scales the logged implicit rewards. */
  public record Sft(double beta) implements DpoLoss.Variant {
    public Sft { Ops.requirePositive("beta", beta); }

    @Override public boolean needsReference() { return false; }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      return t.chosenNll().expand(t.policyChosen().size(0)); // (B)
    }

    @Override public Map<String, Double> metrics(DpoLoss.Terms t) { return Map.of("nll_loss", Ops.value(t.chosenNll())); }
  }

  /** One weighted part of a {@link Mixture}. */
  public record Part(DpoLoss.Variant variant, double weight) {
    public Part {
      if (variant == null) throw new IllegalArgumentException("mixture part: variant is required");
      Ops.requireNonNegative("loss weight", weight);
    }
  }

  /**
   * Several losses with weights (TRL: a list of loss types and loss_weights, e.g. MPO's
   * 0.8 sigmoid + 0.2 bco_pair + 1.0 sft). Each part reads its own view of the inputs; the
   * implicit rewards and logged log-probs follow the first part (its beta and normalisation).
   */
  public record Mixture(List<Part> parts) implements DpoLoss.Variant {
    public Mixture {
      if (parts == null || parts.isEmpty()) throw new IllegalArgumentException("a loss mixture needs at least one part");
      parts = List.copyOf(parts);
    }

    @Override public double beta() { return parts.get(0).variant().beta(); }

    @Override public boolean needsReference() { return parts.stream().anyMatch(p -> p.variant().needsReference()); }

    @Override public boolean lengthNormalised() { return parts.get(0).variant().lengthNormalised(); }

    @Override public boolean usesRunningStatistics() { return parts.stream().anyMatch(p -> p.variant().usesRunningStatistics()); }

    @Override public boolean readsSoftLabels() { return parts.stream().anyMatch(p -> p.variant().readsSoftLabels()); }

    @Override public Tensor perExample(DpoLoss.Terms t) {
      Tensor sum = null;
      for (Part p : parts) {
        Tensor part = p.variant().perExample(view(p, t)).mul(s(p.weight())); // (B)
        sum = sum == null ? part : sum.add(part);
      }
      return sum; // (B)
    }

    @Override public Map<String, Double> metrics(DpoLoss.Terms t) {
      Map<String, Double> out = new LinkedHashMap<>();
      for (Part p : parts) out.putAll(p.variant().metrics(view(p, t)));
      return out;
    }

    private static DpoLoss.Terms view(Part p, DpoLoss.Terms t) { return DpoLoss.Terms.of(p.variant(), t.inputs(), t.baseline()); }
  }

  /** Parts from parallel lists of variants and weights (TRL loss_type + loss_weights; null weights = all 1). */
  public static DpoLoss.Variant mix(List<DpoLoss.Variant> variants, List<Double> weights) {
    if (weights != null && weights.size() != variants.size()) {
      throw new IllegalArgumentException("loss_weights has " + weights.size() + " entries but loss_type has " + variants.size());
    }
    if (variants.size() == 1 && (weights == null || weights.get(0) == 1.0)) return variants.get(0);
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) parts.add(new Part(variants.get(i), weights == null ? 1.0 : weights.get(i)));
    return new Mixture(parts);
  }

  /** TRL's loss_type names {@link #named} knows (aot_unpaired is TRL's newer name for aot_pair). */
  public static final List<String> NAMES = List.of("sigmoid", "ipo", "cdpo", "hinge", "robust", "bco_pair", "apo_zero",
      "apo_down", "nca_pair", "sppo_hard", "exo_pair", "aot", "aot_pair", "aot_unpaired", "simpo", "orpo", "sft");

  /**
   * The variant TRL calls {@code type}, with TRL's parameter names: beta, label_smoothing (null:
   * 0, or the papers' typical values where 0 would make the loss another one: 0.1 for cdpo and
   * robust, 1e-3 for exo_pair; sigmoid with label_smoothing > 0 is cDPO, as in TRL before 0.29)
   * and simpo_gamma (null: 0.5). Unknown names are a clear error listing {@link #NAMES}.
   */
  public static DpoLoss.Variant named(String type, double beta, Double labelSmoothing, Double simpoGamma) {
    double ls = labelSmoothing == null ? 0 : labelSmoothing;
    return switch (type.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "sigmoid" -> ls > 0 ? new DpoLoss.Conservative(beta, ls) : new DpoLoss.Sigmoid(beta);
      case "ipo" -> new DpoLoss.Ipo(beta);
      case "cdpo", "conservative" -> new DpoLoss.Conservative(beta, labelSmoothing == null ? 0.1 : ls);
      case "hinge" -> new DpoLoss.Hinge(beta);
      case "robust" -> new Robust(beta, labelSmoothing == null ? 0.1 : ls);
      case "bco_pair" -> new BcoPair(beta);
      case "apo_zero" -> new ApoZero(beta);
      case "apo_down" -> new ApoDown(beta);
      case "nca_pair" -> new NcaPair(beta);
      case "sppo_hard" -> new SppoHard(beta);
      case "exo_pair" -> new ExoPair(beta, labelSmoothing == null ? 1e-3 : ls);
      case "aot" -> new Aot(beta, ls);
      case "aot_pair", "aot_unpaired" -> new AotPair(beta, ls);
      case "simpo" -> new SimPo(beta, simpoGamma == null ? 0.5 : simpoGamma);
      case "orpo" -> new Orpo(beta);
      case "sft" -> new Sft(beta);
      default -> throw new IllegalArgumentException("loss_type must be one of " + String.join(", ", NAMES) + "; got '" + type + "'");
    };
  }

  private static void smoothing(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 0.5), got " + labelSmoothing);
    }
  }

  /** Values of {@code x} (B) in ascending order; the gradient follows the sort. */
  private static Tensor sorted(Tensor x) { return x.sort(0, false).get0(); } // (B)

  /** log(1 - e^x) for x < 0, stable at both ends (each branch fed a clamped input so gradients stay finite). */
  static Tensor log1mexp(Tensor x) {
    double cut = -Math.log(2);
    Tensor near = x.clamp_min(s(cut)).expm1().neg().log(); // (B) accurate for x > -ln 2
    Tensor far = x.clamp_max(s(cut)).exp().neg().log1p(); // (B) accurate for x <= -ln 2
    return near.where(x.gt(s(cut)), far); // (B)
  }
}

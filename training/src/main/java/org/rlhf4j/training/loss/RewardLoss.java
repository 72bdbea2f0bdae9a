package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Bradley-Terry pairwise reward-model loss (TRL RewardTrainer). With d = r_c - r_r - margin and
 * p the probability that "chosen" is preferred (1 - labelSmoothing, or a per-pair soft target):
 * loss_i = -p log sigma(d) - (1 - p) log sigma(-d); loss = mean_i loss_i, plus
 * centerRewardsCoef * mean((r_c + r_r)^2) when that coefficient is > 0.
 */
public final class RewardLoss {
  private RewardLoss() {}

  /**
   * @param labelSmoothing    eps in [0, 0.5): the chosen side is preferred with probability 1 - eps
   * @param centerRewardsCoef coefficient of the reward-centering term (0 disables it; TRL suggests 0.01)
   */
  public record Config(double labelSmoothing, double centerRewardsCoef) {
    public static final Config DEFAULT = new Config(0.0, 0.0);

    public Config {
      if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
        throw new IllegalArgumentException("labelSmoothing must be in [0, 0.5), got " + labelSmoothing);
      }
      Ops.requireNonNegative("centerRewardsCoef", centerRewardsCoef);
    }
  }

  /**
   * accuracy = mean[r_c > r_r] (strict, margin ignored); margin = mean(r_c - r_r); reward mean
   * and unbiased std over all 2B rewards.
   */
  public record Metrics(double loss, double accuracy, double margin, double chosenMean, double rejectedMean,
      double rewardMean, double rewardStd) {}

  public record Result(Tensor loss, Metrics metrics) {}

  /** Hard preferences, no margin: rewardsChosen (B), rewardsRejected (B). */
  public static Result compute(Config cfg, Tensor rewardsChosen, Tensor rewardsRejected) {
    return compute(cfg, rewardsChosen, rewardsRejected, null, null);
  }

  /**
   * @param margin     (B) or null: required reward gap per pair (TRL's "margin" column)
   * @param chosenProb (B) or null: soft targets in [0, 1]; when given it replaces 1 - labelSmoothing
   */
  public static Result compute(Config cfg, Tensor rewardsChosen, Tensor rewardsRejected, Tensor margin,
      Tensor chosenProb) {
    Ops.requireDim("rewardsChosen", rewardsChosen, 1, "(B)");
    Ops.requireSameShape("rewardsRejected", rewardsRejected, "rewardsChosen", rewardsChosen);
    Tensor rc = Ops.upcast("rewardsChosen", rewardsChosen); // (B)
    Tensor rr = Ops.like(Ops.upcast("rewardsRejected", rewardsRejected), rc); // (B)
    Tensor d = rc.sub(rr); // (B)
    if (margin != null) {
      Ops.requireSameShape("margin", margin, "rewardsChosen", rewardsChosen);
      d = d.sub(Ops.like(margin, rc)); // (B)
    }
    Tensor loss = pairLoss(cfg, d, rc, chosenProb).mean(); // ()
    if (cfg.centerRewardsCoef() > 0) {
      Tensor center = rc.add(rr).square().mean(); // ()
      loss = loss.add(center.mul(s(cfg.centerRewardsCoef()))); // ()
    }
    return new Result(loss, metrics(Ops.value(loss), rc.detach(), rr.detach()));
  }

  private static Tensor pairLoss(Config cfg, Tensor d, Tensor rc, Tensor chosenProb) {
    Tensor pos = log_sigmoid(d).neg(); // (B)
    if (chosenProb == null && cfg.labelSmoothing() == 0) return pos;
    Tensor neg = log_sigmoid(d.neg()).neg(); // (B)
    if (chosenProb == null) {
      double eps = cfg.labelSmoothing();
      return pos.mul(s(1 - eps)).add(neg.mul(s(eps))); // (B)
    }
    Ops.requireSameShape("chosenProb", chosenProb, "rewardsChosen", rc);
    Tensor p = Ops.like(chosenProb, rc); // (B)
    double lo = Ops.value(p.min()), hi = Ops.value(p.max());
    if (lo < 0 || hi > 1) throw new IllegalArgumentException("chosenProb must lie in [0, 1], got [" + lo + ", " + hi + "]");
    return pos.mul(p).add(neg.mul(p.neg().add(s(1)))); // (B)
  }

  private static Metrics metrics(double loss, Tensor rc, Tensor rr) {
    Tensor diff = rc.sub(rr); // (B)
    double accuracy = Ops.value(diff.gt(s(0)).to(rc.scalar_type()).mean());
    Tensor all = torch.cat(new TensorVector(rc, rr)); // (2B)
    double std = all.numel() > 1 ? Ops.value(all.std()) : 0.0;
    return new Metrics(loss, accuracy, Ops.value(diff.mean()), Ops.value(rc.mean()), Ops.value(rr.mean()),
        Ops.value(all.mean()), std);
  }
}

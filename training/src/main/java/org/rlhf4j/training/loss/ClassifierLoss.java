package org.rlhf4j.training.loss;

import static org.bytedeco.pytorch.global.torch.log_sigmoid;
import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * Pointwise reward-model loss on binary labels (a sentiment classifier as reward, as the DPO paper's IMDb task):
 * with logit r and label y in [0, 1] (soft labels allowed, e.g. label smoothing),
 * loss_i = -y log sigma(r) - (1 - y) log sigma(-r), i.e. BCE with logits; loss = mean_i loss_i.
 */
public final class ClassifierLoss {
  private ClassifierLoss() {}

  /**
   * @param loss     the mean BCE
   * @param accuracy mean[(r > 0) == (y > 0.5)] (labels at exactly 0.5 count as wrong either way)
   */
  public record Metrics(double loss, double accuracy, double logitMean, double positiveMean, double negativeMean) {}

  public record Result(Tensor loss, Metrics metrics) {}

  /** logits (B), labels (B) in [0, 1]. */
  public static Result compute(Tensor logits, Tensor labels) {
    Ops.requireDim("logits", logits, 1, "(B)");
    Ops.requireSameShape("labels", labels, "logits", logits);
    Tensor r = Ops.upcast("logits", logits);                 // (B)
    Tensor y = Ops.like(labels, r);                          // (B)
    double lo = Ops.value(y.min()), hi = Ops.value(y.max());
    if (lo < 0 || hi > 1) throw new IllegalArgumentException("labels must lie in [0, 1], got [" + lo + ", " + hi + "]");
    Tensor pos = log_sigmoid(r).neg();                       // (B)
    Tensor neg = log_sigmoid(r.neg()).neg();                 // (B)
    Tensor loss = pos.mul(y).add(neg.mul(y.neg().add(s(1)))).mean(); // ()
    Tensor rd = r.detach();
    Tensor isPos = y.gt(s(0.5)), isNeg = y.lt(s(0.5));       // (B) bool
    double right = Ops.value(rd.gt(s(0)).logical_and(isPos).logical_or(rd.lt(s(0)).logical_and(isNeg)).to(r.scalar_type()).mean());
    return new Result(loss, new Metrics(Ops.value(loss), right, Ops.value(rd.mean()), maskedMean(rd, isPos), maskedMean(rd, isNeg)));
  }

  /** Mean of {@code v} where {@code m}, or 0 when nothing is selected. */
  private static double maskedMean(Tensor v, Tensor m) {
    double n = Ops.value(m.sum());
    return n == 0 ? 0.0 : Ops.value(v.mul(m.to(v.scalar_type())).sum()) / n;
  }
}

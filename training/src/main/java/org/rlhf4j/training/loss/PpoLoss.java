package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;

/**
 * PPO's clipped surrogate and clipped value losses (TRL / lm-human-preferences form), masked
 * means over the response tokens of the whole batch. The optimiser minimises
 * {@link #total}: policy loss + vfCoef * value loss.
 */
public final class PpoLoss {
  private PpoLoss() {}

  /** cliprange epsilon (> 0), cliprangeValue (> 0), vfCoef (>= 0); TRL defaults 0.2, 0.2, 0.1. */
  public record Config(double cliprange, double cliprangeValue, double vfCoef) {
    public static final Config DEFAULT = new Config(0.2, 0.2, 0.1);

    public Config {
      Ops.requirePositive("cliprange", cliprange);
      Ops.requirePositive("cliprangeValue", cliprangeValue);
      Ops.requireNonNegative("vfCoef", vfCoef);
    }
  }

  /**
   * clipfrac = masked mean[clipped term > unclipped term]; approxKl = 0.5 masked_mean((new - old)^2);
   * approxKlK3 = masked mean of (r - 1) - log r with r = exp(new - old); ratioMean = masked mean of r.
   */
  public record PolicyMetrics(double loss, double clipfrac, double approxKl, double approxKlK3, double ratioMean) {}

  /** loss (), the detached ratio (B, T) with 0 on padding, and metrics. */
  public record PolicyResult(Tensor loss, Tensor ratio, PolicyMetrics metrics) {}

  public record ValueMetrics(double loss, double clipfrac) {}

  public record ValueResult(Tensor loss, ValueMetrics metrics) {}

  /**
   * ratio = exp(new - old); loss = masked_mean(max(-A ratio, -A clamp(ratio, 1-eps, 1+eps))).
   * newLogprobs (B, T) carries the gradient; oldLogprobs and advantages (B, T) are detached.
   */
  public static PolicyResult policy(Config cfg, Tensor newLogprobs, Tensor oldLogprobs, Tensor advantages,
      Tensor mask) {
    Ops.requireDim("newLogprobs", newLogprobs, 2, "(B, T)");
    Ops.requireSameShape("oldLogprobs", oldLogprobs, "newLogprobs", newLogprobs);
    Ops.requireSameShape("advantages", advantages, "newLogprobs", newLogprobs);
    Ops.requireSameShape("mask", mask, "newLogprobs", newLogprobs);
    Tensor lp = Ops.upcast("newLogprobs", newLogprobs); // (B, T)
    Tensor m = Ops.like(mask, lp); // (B, T)
    Tensor old = Ops.like(oldLogprobs, lp).detach(); // (B, T)
    Tensor adv = Ops.like(advantages, lp).detach(); // (B, T)
    Tensor logRatio = lp.sub(old).mul(m); // (B, T) 0 on padding, so ratio = 1 there
    Tensor ratio = logRatio.exp(); // (B, T)
    Tensor pg1 = adv.neg().mul(ratio); // (B, T)
    Tensor pg2 = adv.neg().mul(ratio.clamp_min(s(1 - cfg.cliprange())).clamp_max(s(1 + cfg.cliprange()))); // (B, T)
    Tensor loss = Masked.mean(pg1.maximum(pg2), m); // ()
    Tensor clipped = Ops.like(pg2.detach().gt(pg1.detach()), m); // (B, T)
    Tensor lr = logRatio.detach(); // (B, T)
    PolicyMetrics metrics = new PolicyMetrics(Ops.value(loss), Ops.value(Masked.mean(clipped, m)),
        Ops.value(Masked.mean(KlEstimator.K2.perToken(old, lp.detach(), m), m)),
        Ops.value(Masked.mean(KlEstimator.K3.perToken(old, lp.detach(), m), m)),
        Ops.value(Masked.mean(lr.exp(), m)));
    return new PolicyResult(loss, ratio.detach().mul(m), metrics);
  }

  /**
   * v_clipped = clamp(new, old - c, old + c); loss = 0.5 masked_mean(max((new - R)^2, (v_clipped - R)^2)).
   * newValues (B, T) carries the gradient; oldValues and returns (B, T) are detached.
   */
  public static ValueResult value(Config cfg, Tensor newValues, Tensor oldValues, Tensor returns, Tensor mask) {
    Ops.requireDim("newValues", newValues, 2, "(B, T)");
    Ops.requireSameShape("oldValues", oldValues, "newValues", newValues);
    Ops.requireSameShape("returns", returns, "newValues", newValues);
    Ops.requireSameShape("mask", mask, "newValues", newValues);
    Tensor v = Ops.upcast("newValues", newValues); // (B, T)
    Tensor m = Ops.like(mask, v); // (B, T)
    Tensor old = Ops.like(oldValues, v).detach(); // (B, T)
    Tensor ret = Ops.like(returns, v).detach(); // (B, T)
    double c = cfg.cliprangeValue();
    Tensor vClipped = v.maximum(old.sub(s(c))).minimum(old.add(s(c))); // (B, T)
    Tensor l1 = v.sub(ret).square(); // (B, T)
    Tensor l2 = vClipped.sub(ret).square(); // (B, T)
    Tensor loss = Masked.mean(l1.maximum(l2), m).mul(s(0.5)); // ()
    Tensor clipped = Ops.like(l2.detach().gt(l1.detach()), m); // (B, T)
    return new ValueResult(loss, new ValueMetrics(Ops.value(loss), Ops.value(Masked.mean(clipped, m))));
  }

  /** policy loss + vfCoef * value loss: the scalar PPO minimises. */
  public static Tensor total(Config cfg, PolicyResult policy, ValueResult value) {
    return policy.loss().add(value.loss().mul(s(cfg.vfCoef()))); // ()
  }
}

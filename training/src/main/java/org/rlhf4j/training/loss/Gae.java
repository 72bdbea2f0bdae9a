package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Generalised advantage estimation over right-padded responses, backwards in time:
 * delta_t = r_t + gamma V_{t+1} - V_t (V_{t+1} = 0 past the last real token),
 * A_t = delta_t + gamma lam A_{t+1} (A = 0 past the end), returns_t = A_t + V_t; 0 on padding.
 * Rewards and values are detached: advantages and returns are targets, not graph nodes.
 */
public final class Gae {
  private Gae() {}

  /** gamma (discount) and lam (GAE lambda), both in [0, 1]; TRL defaults 1.0 and 0.95. */
  public record Config(double gamma, double lam) {
    public static final Config DEFAULT = new Config(1.0, 0.95);

    public Config {
      if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
      if (!(lam >= 0 && lam <= 1)) throw new IllegalArgumentException("lam must be in [0, 1], got " + lam);
    }
  }

  /** advantages (B, T) and returns (B, T), 0 on padding. */
  public record Result(Tensor advantages, Tensor returns) {}

  /** rewards (B, T), values (B, T), mask (B, T); padding entries of the inputs are ignored. */
  public static Result compute(Config cfg, Tensor rewards, Tensor values, Tensor mask) {
    Ops.requireDim("rewards", rewards, 2, "(B, T)");
    Ops.requireSameShape("values", values, "rewards", rewards);
    Ops.requireSameShape("mask", mask, "rewards", rewards);
    Tensor r0 = Ops.upcast("rewards", rewards).detach(); // (B, T)
    Tensor m = Ops.like(mask, r0); // (B, T)
    Tensor r = r0.mul(m); // (B, T)
    Tensor v = Ops.like(Ops.upcast("values", values), r0).detach().mul(m); // (B, T)
    long steps = r.size(1);
    Tensor[] adv = new Tensor[(int) steps];
    Tensor last = torch.zeros_like(r.select(1, 0)); // (B)
    for (long t = steps - 1; t >= 0; t--) {
      Tensor nextV = t + 1 < steps ? v.select(1, t + 1) : torch.zeros_like(last); // (B)
      Tensor delta = r.select(1, t).add(nextV.mul(s(cfg.gamma()))).sub(v.select(1, t)); // (B)
      last = delta.add(last.mul(s(cfg.gamma() * cfg.lam()))).mul(m.select(1, t)); // (B)
      adv[(int) t] = last;
    }
    Tensor advantages = torch.stack(new TensorVector(adv), 1); // (B, T)
    Tensor returns = advantages.add(v).mul(m); // (B, T)
    return new Result(advantages, returns);
  }
}

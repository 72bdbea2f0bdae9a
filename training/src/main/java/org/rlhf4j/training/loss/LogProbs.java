package org.rlhf4j.training.loss;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Token log-probabilities and entropies from logits. Logits of any floating dtype are upcast
 * (bf16/f16 to f32; f64 stays f64) before the log-softmax, so results are f32 or f64.
 *
 * <p>{@link #gather} does no shifting: callers pass logits and the labels those logits predict
 * (for a causal LM, {@code logits[:, :-1]} with {@code input_ids[:, 1:]}, see {@link #shifted}).
 */
public final class LogProbs {
  private LogProbs() {}

  /** log_softmax(logits)[b, t, labels[b, t]]: logits (B, T, V), integer labels (B, T) in [0, V). */
  public static Tensor gather(Tensor logits, Tensor labels) {
    Ops.requireDim("logits", logits, 3, "(B, T, V)");
    Ops.requireDim("labels", labels, 2, "(B, T)");
    if (logits.size(0) != labels.size(0) || logits.size(1) != labels.size(1)) {
      throw new IllegalArgumentException("labels (B, T) = (" + labels.size(0) + ", " + labels.size(1)
          + ") do not match logits (B, T, V) = (" + logits.size(0) + ", " + logits.size(1) + ", " + logits.size(2) + ")");
    }
    Tensor logp = Ops.upcast("logits", logits).log_softmax(-1); // (B, T, V)
    Tensor idx = labels.to(ScalarType.Long).unsqueeze(-1); // (B, T, 1)
    return logp.gather(-1, idx).squeeze(-1); // (B, T)
  }

  /**
   * Causal-LM next-token log-probs: position t scores token t+1, so logits (B, T, V) and
   * inputIds (B, T) give (B, T-1) with entry t = log p(inputIds[t+1] | ..t).
   */
  public static Tensor shifted(Tensor logits, Tensor inputIds) {
    Ops.requireDim("logits", logits, 3, "(B, T, V)");
    Ops.requireDim("inputIds", inputIds, 2, "(B, T)");
    long t = logits.size(1);
    if (t < 2) throw new IllegalArgumentException("shifted log-probs need T >= 2 positions, got " + t);
    Tensor head = logits.narrow(1, 0, t - 1); // (B, T-1, V)
    Tensor next = inputIds.narrow(1, 1, t - 1); // (B, T-1)
    return gather(head, next); // (B, T-1)
  }

  /** Sequence log-prob: sum over t of logps * mask (prompt and padding masked out). (B, T) to (B). */
  public static Tensor sequence(Tensor logps, Tensor mask) {
    Ops.requireDim("logps", logps, 2, "(B, T)");
    Ops.requireSameShape("mask", mask, "logps", logps);
    return logps.mul(Ops.like(mask, logps)).sum(1); // (B)
  }

  /** Length-normalised sequence log-prob: masked sum / number of counted tokens (TRL's IPO input). (B). */
  public static Tensor sequenceMean(Tensor logps, Tensor mask) {
    Tensor m = Ops.like(mask, logps); // (B, T)
    return sequence(logps, m).div(m.sum(1).clamp_min(Ops.s(1))); // (B)
  }

  /** Entropy of the softmax at every position: logsumexp(z) - sum(softmax(z) * z). (B, T, V) to (B, T). */
  public static Tensor entropy(Tensor logits) {
    Ops.requireDim("logits", logits, 3, "(B, T, V)");
    Tensor z = Ops.upcast("logits", logits); // (B, T, V)
    Tensor lse = z.logsumexp(new long[] {-1}, false); // (B, T)
    Tensor expected = z.softmax(-1).mul(z).sum(-1); // (B, T)
    return lse.sub(expected); // (B, T)
  }
}

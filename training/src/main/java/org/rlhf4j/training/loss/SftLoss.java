package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Ops.s;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Supervised fine-tuning loss: causal-LM cross-entropy on completion tokens only. Position t
 * predicts token t+1; it counts iff {@code lossMask[t+1] == 1} (prompt and padding are 0). The
 * default reduction is the token-level mean over the whole batch (Hugging Face labels=-100).
 */
public final class SftLoss {
  private SftLoss() {}

  /** Hugging Face's ignored label. */
  public static final long IGNORE_INDEX = -100;

  /** How per-token losses become one number. */
  public enum Reduction {
    /** sum(nll * m) / sum(m) over the whole batch (default; HF and TRL). */
    TOKEN_MEAN,
    /** mean over rows (that have at least one target) of each row's token mean. */
    SEQUENCE_MEAN
  }

  public record Config(Reduction reduction) {
    public static final Config DEFAULT = new Config(Reduction.TOKEN_MEAN);

    public Config {
      if (reduction == null) throw new IllegalArgumentException("reduction is required (TOKEN_MEAN or SEQUENCE_MEAN)");
    }
  }

  /** loss, masked mean of argmax == target, and how many target tokens counted. */
  public record Metrics(double loss, double tokenAccuracy, long numTargetTokens) {}

  /** {@code tokenNll} is (B, T-1), 0 where not counted. */
  public record Result(Tensor loss, Tensor tokenNll, Metrics metrics) {}

  /** logits (B, T, V), inputIds (B, T), lossMask (B, T) with 1 on completion tokens. */
  public static Result compute(Config cfg, Tensor logits, Tensor inputIds, Tensor lossMask) {
    Ops.requireDim("inputIds", inputIds, 2, "(B, T)");
    Ops.requireSameShape("lossMask", lossMask, "inputIds", inputIds);
    long t = inputIds.size(1);
    Tensor logps = LogProbs.shifted(logits, inputIds); // (B, T-1)
    Tensor predicted = logits.narrow(1, 0, t - 1).argmax(new LongOptional(-1), false); // (B, T-1)
    return fromLogprobs(cfg, logps, predicted, inputIds, lossMask);
  }

  /**
   * The same loss from next-token log-probs (B, T-1) (entry t = log p(inputIds[t+1] | ..t), e.g. from
   * {@code TokenLogprobs}, which never builds the logits) and each position's most likely token (B, T-1).
   */
  public static Result fromLogprobs(Config cfg, Tensor logps, Tensor predicted, Tensor inputIds, Tensor lossMask) {
    Ops.requireDim("inputIds", inputIds, 2, "(B, T)");
    Ops.requireSameShape("lossMask", lossMask, "inputIds", inputIds);
    Ops.requireDim("logps", logps, 2, "(B, T-1)");
    long t = inputIds.size(1);
    if (logps.size(0) != inputIds.size(0) || logps.size(1) != t - 1) {
      throw new IllegalArgumentException("logps must be (B, T-1) for inputIds (B, T) = (" + inputIds.size(0) + ", " + t + ")");
    }
    Ops.requireSameShape("predicted", predicted, "logps", logps);
    Tensor m = Ops.like(lossMask.narrow(1, 1, t - 1), logps); // (B, T-1)
    Tensor nll = logps.neg().mul(m); // (B, T-1)
    double count = Ops.value(m.sum());
    if (count <= 0) throw new IllegalArgumentException("lossMask selects no target tokens (every completion is empty)");
    Tensor loss = reduce(cfg.reduction(), nll, m); // ()
    Tensor targets = inputIds.narrow(1, 1, t - 1).to(ScalarType.Long); // (B, T-1)
    Tensor correct = Ops.like(predicted.eq(targets), m); // (B, T-1)
    double accuracy = Ops.value(Masked.mean(correct, m));
    return new Result(loss, nll, new Metrics(Ops.value(loss), accuracy, Math.round(count)));
  }

  /** The same loss from HF-style labels (B, T): -100 marks ignored positions; the shift is done here. */
  public static Result fromLabels(Config cfg, Tensor logits, Tensor labels) {
    Ops.requireDim("labels", labels, 2, "(B, T)");
    Tensor ignored = labels.eq(s(IGNORE_INDEX)); // (B, T) bool
    Tensor ids = labels.masked_fill(ignored, s(0)); // (B, T)
    return compute(cfg, logits, ids, ignored.logical_not()); // mask (B, T) bool
  }

  private static Tensor reduce(Reduction r, Tensor nll, Tensor m) {
    if (r == Reduction.TOKEN_MEAN) return nll.sum().div(m.sum()); // ()
    Tensor perRowCount = m.sum(1); // (B)
    Tensor perRow = nll.sum(1).div(perRowCount.clamp_min(s(1))); // (B)
    Tensor rowsWithTargets = perRowCount.gt(s(0)).to(nll.scalar_type()).sum(); // ()
    return perRow.sum().div(rowsWithTargets); // ()
  }
}

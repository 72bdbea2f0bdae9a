package org.rlhf4j.training.loop;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * What a {@link TrainStep} returns for one micro-batch.
 *
 * @param loss    scalar loss tensor attached to the autograd graph (mean over the micro-batch)
 * @param metrics extra numbers to log (averaged over the micro-batches of an optimizer step); a
 *                NaN or infinite value stops the run like a NaN loss, so leave out undefined ones
 * @param tokens  tokens processed by this micro-batch, for tokens/s (0 when not meaningful)
 */
public record StepResult(Tensor loss, Map<String, Double> metrics, long tokens) {
  public StepResult {
    if (loss == null) throw new IllegalArgumentException("StepResult: loss is required");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    if (tokens < 0) throw new IllegalArgumentException("StepResult: tokens must be >= 0, got " + tokens);
  }

  public StepResult(Tensor loss) { this(loss, Map.of(), 0); }

  public StepResult(Tensor loss, Map<String, Double> metrics) { this(loss, metrics, 0); }
}

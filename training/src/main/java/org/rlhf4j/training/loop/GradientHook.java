package org.rlhf4j.training.loop;

import java.util.Collection;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A transformation of the gradients between backward and the optimizer step (DP-SGD's per-example clipping and
 * noise, {@code org.rlhf4j.training.dp}). The {@link Trainer} calls it inside the step's native scope; the
 * parameters are the trainable ones (tied tensors once). The default does nothing.
 */
public interface GradientHook {
  GradientHook NONE = new GradientHook() {};

  /** How many micro-batches optimizer step {@code step} has (called after {@link TrainStep#beginStep}); default the configured accumulation. */
  default int microBatches(int step, int configured) { return configured; }

  /** After micro-batch {@code i}'s backward of loss / {@code microBatches}: the parameters' gradients hold the running sum. */
  default void afterBackward(int step, int i, int microBatches, Collection<Tensor> params) {}

  /**
   * After the last backward, before gradient clipping and the optimizer; returns metrics logged at their latest value
   * on each metrics.jsonl line (not averaged over the log window: they describe the run so far, like ε).
   */
  default Map<String, Double> beforeStep(int step, Collection<Tensor> params) { return Map.of(); }
}

package org.rlhf4j.training.loop;

/**
 * One algorithm's forward pass: computes the loss on its next micro-batch and returns it. The
 * {@link Trainer} calls it {@code gradAccumulation} times per optimizer step (index 0, 1, ...),
 * inside the step's native scope and autocast, then calls {@code backward} on the loss scaled
 * by {@code 1 / gradAccumulation}. Implementations must not call backward or the optimizer.
 */
@FunctionalInterface
public interface TrainStep {
  StepResult step(int microBatchIndex);

  /**
   * Called once before the micro-batches of optimizer step {@code step} (1-based, counting
   * across resumes), inside that step's native scope but outside autocast: the place for
   * step-dependent schedules (e.g. a KL coefficient warmup). Tensors made here are freed
   * when the step ends. Does nothing by default.
   */
  default void beginStep(int step) {}
}

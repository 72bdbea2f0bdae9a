package org.rlhf4j.training.loop;

import java.nio.file.Path;
import java.util.SortedMap;

/**
 * Outcome of {@link Trainer#run()}.
 *
 * @param step           the last optimizer step done (equals maxSteps on success)
 * @param startStep      the step this invocation started after (0, or the resumed checkpoint's step)
 * @param losses         loss of every step run by this invocation (mean over its micro-batches), by step
 * @param lastCheckpoint the newest complete checkpoint directory
 */
public record TrainResult(int step, int startStep, SortedMap<Integer, Double> losses, Path lastCheckpoint) {
  public double finalLoss() { return losses.isEmpty() ? Double.NaN : losses.get(losses.lastKey()); }
}

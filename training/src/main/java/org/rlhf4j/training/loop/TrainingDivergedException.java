package org.rlhf4j.training.loop;

import java.nio.file.Path;

/** A loss, metric or gradient norm became NaN or infinite; the last good checkpoint is kept. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int step;
  private final String metric;
  private final transient Path lastCheckpoint;

  public TrainingDivergedException(int step, String metric, double value, Path lastCheckpoint) {
    super("training diverged at step " + step + ": " + metric + " = " + value
        + (lastCheckpoint == null ? " (no checkpoint was written yet)" : "; last good checkpoint: " + lastCheckpoint));
    this.step = step;
    this.metric = metric;
    this.lastCheckpoint = lastCheckpoint;
  }

  public int step() { return step; }
  public String metric() { return metric; }
  public Path lastCheckpoint() { return lastCheckpoint; }
}

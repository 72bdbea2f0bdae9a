package org.rlhf4j.training.optim;

import java.util.Locale;

/** Shape of the learning rate after warmup. */
public enum Schedule {
  /** Half-cosine from the peak down to {@code peak * minLrRatio} at the last step. */
  COSINE,
  /** Straight line from the peak down to {@code peak * minLrRatio} at the last step. */
  LINEAR,
  /** The peak learning rate for every step after warmup. */
  CONSTANT;

  /** Parses "cosine", "linear" or "constant" (any case). */
  public static Schedule parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown schedule '" + name + "' (expected cosine, linear or constant)");
    }
  }
}

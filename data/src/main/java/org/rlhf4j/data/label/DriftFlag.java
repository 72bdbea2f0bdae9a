package org.rlhf4j.data.label;

import java.time.Instant;

/**
 * A rater whose recent gold accuracy fell: {@code before} is their accuracy on gold items before
 * {@code since}, {@code after} their accuracy over the window that starts at {@code since}.
 */
public record DriftFlag(String raterId, Instant since, double before, double after) {
  public DriftFlag {
    Validate.id(raterId, "DriftFlag.raterId");
    Validate.notNull(since, "DriftFlag.since");
  }

  /** How far accuracy fell (before - after). */
  public double drop() { return before - after; }
}

package org.rlhf4j.serving;

import java.util.Arrays;
import java.util.Locale;

/** How concurrent requests share the decoder (serve-model {@code --batching}). */
public enum Batching {
  /** Requests gathered within the batch window decode together; requests arriving meanwhile wait for the whole batch. */
  DYNAMIC {
    @Override boolean joinNow(int waiting, int active, int waitedSteps) { return false; }
  },
  /**
   * As dynamic, and waiting requests also join the running batch at a token boundary, up to the batch size: once
   * they are at least a quarter of the rows decoding, or have waited {@value #MAX_WAITING_STEPS} tokens (each join
   * costs a prefill forward of its own, so joiners are gathered, as TGI's waiting_served_ratio / max_waiting_tokens).
   */
  CONTINUOUS {
    @Override boolean joinNow(int waiting, int active, int waitedSteps) {
      return waiting > 0 && (4 * waiting >= active || waitedSteps >= MAX_WAITING_STEPS);
    }
  };

  static final int MAX_WAITING_STEPS = 8;

  /** Whether {@code waiting} requests, waiting for {@code waitedSteps} tokens, join {@code active} decoding rows now. */
  abstract boolean joinNow(int waiting, int active, int waitedSteps);

  /** The mode named {@code name} (case-insensitive). */
  public static Batching named(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("batching must be one of " + Arrays.stream(values()).map(Batching::label).toList() + ", got '" + name + "'");
    }
  }

  public String label() { return name().toLowerCase(Locale.ROOT); }
}

package org.rlhf4j.serving;

import java.util.Arrays;
import java.util.Locale;

/** How concurrent requests share the decoder (serve-model {@code --batching}). */
public enum Batching {
  /** Requests gathered within the batch window decode together; requests arriving meanwhile wait for the whole batch. */
  DYNAMIC {
    @Override boolean joinsRunningBatch() { return false; }
  },
  /** As dynamic, and requests also join the running batch at the next token boundary, up to the batch size. */
  CONTINUOUS {
    @Override boolean joinsRunningBatch() { return true; }
  };

  /** Whether a waiting request may join a batch that is already decoding. */
  abstract boolean joinsRunningBatch();

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

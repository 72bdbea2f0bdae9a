package org.rlhf4j.training.loop;

/**
 * Position of an algorithm's data stream, saved in each checkpoint so a resumed run continues
 * with exactly the next micro-batch. The meaning of the number is the source's own (examples
 * consumed, batches drawn, an epoch-and-offset packing, ...).
 */
public interface DataCursor {
  long position();

  void seek(long position);

  /** For step functions without a data stream (or that rebuild it from the step count). */
  static DataCursor none() {
    return new DataCursor() {
      @Override public long position() { return 0; }
      @Override public void seek(long position) {}
    };
  }
}

package org.rlhf4j.aifeedback;

/**
 * Progress of a long AI-feedback run (labelling, critique-revise, red-teaming). Library code reports here and never
 * prints; the CLI shows a bar. {@code start} gives the whole task's size and what an earlier run already did.
 */
public interface Progress {
  void start(String task, long total, long alreadyDone);

  void advance(long n);

  void finish();

  /** Reports nothing. */
  static Progress none() {
    return new Progress() {
      @Override public void start(String task, long total, long alreadyDone) {}
      @Override public void advance(long n) {}
      @Override public void finish() {}
    };
  }
}

package org.rlhf4j.common;

/** A running task's progress, from {@link Reporter#progress}. */
public interface Progress extends AutoCloseable {
  /**
   * @param done      units done so far
   * @param status    a short status shown with the progress (e.g. the latest loss)
   * @param milestone whether a line-based reporter prints this update (a bar shows every update)
   */
  void update(long done, String status, boolean milestone);

  @Override void close();

  /** A live bar with ETA (me.tongfei:progressbar), for terminals. */
  static Progress bar(String task, long start, long total) { return new ConsoleReporter.Bar(task, start, total); }

  /** A line per milestone (and at the end) with rate and ETA, for logs and CI: {@code task done/total (p%) | status | ...}. */
  static Progress lines(String task, long start, long total, java.io.PrintStream out) {
    return new ConsoleReporter.Lines(task, start, total, out);
  }

  /** Shows nothing. */
  Progress NONE = new Progress() {
    @Override public void update(long done, String status, boolean milestone) {}
    @Override public void close() {}
  };
}

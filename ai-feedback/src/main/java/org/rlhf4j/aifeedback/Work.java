package org.rlhf4j.aifeedback;

import org.rlhf4j.common.Progress;
import org.rlhf4j.common.Reporter;

/**
 * The progress of a long, resumable AI-feedback run (labelling, critique-revise, red-teaming), through the
 * installed {@link Reporter}: a resume notice when an earlier run did part of it, then updates with a milestone
 * (a printed line, for reporters that print lines) every tenth of the work.
 */
public final class Work implements AutoCloseable {
  private final Progress progress;
  private final long total;
  private long done, nextMilestone;

  private Work(String task, long total, long alreadyDone) {
    if (alreadyDone > 0) Reporter.get().info("%s: %d of %d already done, resuming", task, alreadyDone, total);
    this.progress = Reporter.get().progress(task, alreadyDone, total);
    this.total = total;
    this.done = alreadyDone;
    this.nextMilestone = alreadyDone + step();
  }

  public static Work start(String task, long total, long alreadyDone) { return new Work(task, total, alreadyDone); }

  /** {@code n} more units are done; {@code status} is shown beside the progress. */
  public void advance(long n, String status) {
    done += n;
    boolean milestone = done >= nextMilestone || done >= total;
    if (milestone) nextMilestone = done + step();
    progress.update(done, status, milestone);
  }

  private long step() { return Math.max(1, total / 10); }

  @Override public void close() { progress.close(); }
}

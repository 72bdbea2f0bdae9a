package org.rlhf4j.cli;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rlhf4j.aifeedback.Progress;

/** The CLI's view of long AI-feedback work: a live bar on a terminal, a line per tenth of the work otherwise (on stderr). */
final class ConsoleProgress implements Progress {
  private final PrintStream err;
  private ProgressBar bar;
  private String task;
  private long total, done, nextLine;
  private long startNanos;

  ConsoleProgress(PrintStream err) { this.err = err; }

  @Override public void start(String task, long total, long alreadyDone) {
    this.task = task;
    this.total = total;
    this.done = alreadyDone;
    this.startNanos = System.nanoTime();
    if (alreadyDone > 0) err.printf("%s: %d of %d already done, resuming%n", task, alreadyDone, total);
    if (System.console() != null) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).startsFrom(alreadyDone, Duration.ZERO).build();
    }
    nextLine = alreadyDone + Math.max(1, total / 10);
  }

  @Override public void advance(long n) {
    done += n;
    if (bar != null) { bar.stepTo(done); return; }
    if (done >= nextLine || done == total) {
      double s = (System.nanoTime() - startNanos) / 1e9;
      err.printf("%s: %d/%d (%d%%) in %.0f s%n", task, done, total, total == 0 ? 100 : 100 * done / total, s);
      nextLine = done + Math.max(1, total / 10);
    }
  }

  @Override public void finish() {
    if (bar != null) bar.close();
    bar = null;
  }
}

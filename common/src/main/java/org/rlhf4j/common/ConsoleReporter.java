package org.rlhf4j.common;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Plain lines to a stream, and a live bar (me.tongfei:progressbar) or milestone lines with rate and ETA for progress. */
final class ConsoleReporter implements Reporter {
  private final Supplier<PrintStream> out, err;
  private final boolean bar;

  /** Streams are looked up at each use, so {@code System::out} follows {@link System#setOut}. */
  ConsoleReporter(Supplier<PrintStream> out, Supplier<PrintStream> err, boolean bar) {
    this.out = out;
    this.err = err;
    this.bar = bar;
  }

  @Override public void info(String message) {
    PrintStream o = out.get();
    o.println(message);
    o.flush();
  }

  @Override public void warn(String message) {
    PrintStream e = err.get();
    e.println("warning: " + message);
    e.flush();
  }

  @Override public Progress progress(String task, long start, long total) {
    return bar ? new Bar(task, start, total) : new Lines(task, start, total, out.get());
  }

  /** The terminal bar. */
  static final class Bar implements Progress {
    private final ProgressBar bar;

    Bar(String task, long start, long total) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).startsFrom(start, Duration.ZERO).build();
    }

    @Override public void update(long done, String status, boolean milestone) {
      bar.stepTo(done);
      bar.setExtraMessage(status);
    }

    @Override public void close() { bar.close(); }
  }

  /** Milestone lines with rate and ETA, for logs and CI. */
  static final class Lines implements Progress {
    private final String task;
    private final long start, total;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Lines(String task, long start, long total, PrintStream out) {
      this.task = task;
      this.start = start;
      this.total = total;
      this.out = out;
    }

    @Override public void update(long done, String status, boolean milestone) {
      if (!milestone && done != total) return;
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double perUnit = seconds / Math.max(1, done - start);
      long pct = total == 0 ? 100 : 100L * done / total;
      out.printf(Locale.ROOT, "%s %d/%d (%d%%)%s | %.2f s/%s | eta %s%n", task, done, total, pct,
          status == null || status.isEmpty() ? "" : " | " + status, perUnit, task,
          format(Duration.ofMillis((long) (perUnit * (total - done) * 1000))));
      out.flush();
    }

    static String format(Duration d) {
      long s = d.toSeconds();
      return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
          : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override public void close() {}
  }
}

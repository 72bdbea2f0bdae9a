package org.rlhf4j.training.loop;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress: a live bar with ETA and the latest metrics on a terminal; when stdout is
 * not a terminal (CI, logs) a plain line every {@code logEvery} steps instead.
 */
interface Progress extends AutoCloseable {
  /** Step {@code stats.step()} finished; {@code logStep} marks the steps that are logged. */
  void update(StepStats stats, boolean logStep);

  @Override void close();

  static Progress open(int startStep, int maxSteps) {
    return System.console() != null ? new Bar(startStep, maxSteps) : new Lines(startStep, maxSteps, System.out);
  }

  /** The terminal bar (me.tongfei:progressbar). */
  final class Bar implements Progress {
    private final ProgressBar bar;

    Bar(int startStep, int maxSteps) {
      bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(maxSteps).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).startsFrom(startStep, Duration.ZERO).build();
    }

    @Override public void update(StepStats stats, boolean logStep) {
      bar.stepTo(stats.step());
      bar.setExtraMessage(LogWindow.compact(stats));
    }

    @Override public void close() { bar.close(); }
  }

  /** Plain lines with rate and ETA, for non-terminals. */
  final class Lines implements Progress {
    private final int startStep, maxSteps;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Lines(int startStep, int maxSteps, PrintStream out) {
      this.startStep = startStep;
      this.maxSteps = maxSteps;
      this.out = out;
    }

    @Override public void update(StepStats stats, boolean logStep) {
      int step = stats.step();
      if (!logStep && step != maxSteps) return;
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double perStep = seconds / Math.max(1, step - startStep);
      out.printf("step %d/%d (%d%%) | %s | %.2f s/step | eta %s%n", step, maxSteps, 100L * step / maxSteps,
          LogWindow.summary(stats), perStep, format(Duration.ofMillis((long) (perStep * (maxSteps - step) * 1000))));
      out.flush();
    }

    static String format(Duration d) {
      long s = d.toSeconds();
      return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
          : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override public void close() {}
  }
}

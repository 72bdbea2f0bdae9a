package org.rlhf4j.training.loop;

import java.io.PrintStream;
import org.rlhf4j.common.Reporter;

/**
 * The training loop's progress, shown through the installed {@link Reporter}: a live bar with ETA and the latest
 * metrics on a terminal; a plain line every {@code logEvery} steps otherwise (CI, logs).
 */
interface Progress extends AutoCloseable {
  /** Step {@code stats.step()} finished; {@code logStep} marks the steps that are logged. */
  void update(StepStats stats, boolean logStep);

  @Override void close();

  /** Progress of optimizer steps {@code startStep+1 .. maxSteps} through the installed reporter. */
  static Progress open(int startStep, int maxSteps) {
    return of(Reporter.get().progress("step", startStep, maxSteps), false);
  }

  /** Progress counted in units of {@code per} optimizer steps named {@code unit} (an update at each unit's end). */
  static Progress open(int startStep, int maxSteps, String unit, int per) {
    if (per == 1) return of(Reporter.get().progress(unit, startStep, maxSteps), false);
    Progress p = of(Reporter.get().progress(unit, startStep / per, maxSteps / per), false);
    return new Progress() {
      @Override public void update(StepStats stats, boolean logStep) {
        if (stats.step() % per == 0) p.update(stats.atStep(stats.step() / per), logStep);
      }

      @Override public void close() { p.close(); }
    };
  }

  /** Steps shown by {@code p}, with the short status (bars) or the full one-line summary (lines). */
  private static Progress of(org.rlhf4j.common.Progress p, boolean compact) {
    return new Progress() {
      @Override public void update(StepStats stats, boolean logStep) {
        p.update(stats.step(), compact ? LogWindow.compact(stats) : LogWindow.summary(stats), logStep);
      }

      @Override public void close() { p.close(); }
    };
  }

  /** The terminal bar. */
  final class Bar implements Progress {
    private final Progress p;

    Bar(int startStep, int maxSteps) { p = of(org.rlhf4j.common.Progress.bar("train", startStep, maxSteps), true); }

    @Override public void update(StepStats stats, boolean logStep) { p.update(stats, logStep); }

    @Override public void close() { p.close(); }
  }

  /** Plain lines with rate and ETA, for non-terminals. */
  final class Lines implements Progress {
    private final Progress p;

    Lines(int startStep, int maxSteps, PrintStream out) {
      p = of(org.rlhf4j.common.Progress.lines("step", startStep, maxSteps, out), false);
    }

    @Override public void update(StepStats stats, boolean logStep) { p.update(stats, logStep); }

    @Override public void close() { p.close(); }
  }
}

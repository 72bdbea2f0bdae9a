package org.rlhf4j.common;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Where library code sends what it has to tell the user: information lines, warnings and progress. Library code
 * never prints; it calls {@code Reporter.get()}. The application (the CLI, a server, a test) installs the reporter
 * it wants with {@link #set}; the default writes plain lines to standard output (warnings to standard error) and
 * draws a progress bar when standard output is a terminal.
 *
 * <pre>{@code
 * Reporter.get().info("sft: %d examples -> %d rows", n, rows);
 * try (Progress p = Reporter.get().progress("train", 0, maxSteps)) { ... p.update(step, "loss 1.23", logStep); }
 * }</pre>
 */
public interface Reporter {
  /** An information line (a stage begins, a data summary, a resume notice). */
  void info(String message);

  /** Something the user may want to act on; not an error. */
  void warn(String message);

  /** Progress over {@code total} units starting at {@code start} (e.g. optimizer steps after a resume). */
  Progress progress(String task, long start, long total);

  /** {@link #info(String)} with {@link String#format} in the root locale. */
  default void info(String format, Object... args) { info(String.format(Locale.ROOT, format, args)); }

  /** {@link #warn(String)} with {@link String#format} in the root locale. */
  default void warn(String format, Object... args) { warn(String.format(Locale.ROOT, format, args)); }

  /** The reporter in use. */
  static Reporter get() { return Installed.current; }

  /** Installs {@code r} for the whole process; returns the one it replaces (to restore it later). */
  static Reporter set(Reporter r) {
    Reporter old = Installed.current;
    Installed.current = Objects.requireNonNull(r, "reporter");
    return old;
  }

  /** Lines to {@code out} (warnings prefixed "warning: "); a progress bar only when {@code bar} is true. */
  static Reporter lines(PrintStream out, boolean bar) { return new ConsoleReporter(() -> out, () -> out, bar); }

  /**
   * The default: standard output, warnings on standard error (whatever {@code System.out}/{@code System.err} are
   * when a line is written), a bar on a terminal.
   */
  static Reporter console() { return new ConsoleReporter(() -> System.out, () -> System.err, System.console() != null); }

  /** Says nothing (benchmarks, embedded use). */
  static Reporter silent() {
    return new Reporter() {
      @Override public void info(String message) {}
      @Override public void warn(String message) {}
      @Override public Progress progress(String task, long start, long total) { return Progress.NONE; }
    };
  }

  /** Holds the installed reporter (an interface cannot have a mutable static field of its own). */
  final class Installed {
    private static volatile Reporter current = console();

    private Installed() {}
  }
}

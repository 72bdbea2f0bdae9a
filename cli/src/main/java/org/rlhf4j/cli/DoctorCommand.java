package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.evaluation.doctor.DoctorConfig;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.RunDoctor;
import org.rlhf4j.evaluation.doctor.RunWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rlhf4j doctor RUN}: diagnoses a PPO / DPO / RLOO / GRPO run from its metrics.jsonl, finished or live. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Diagnose a training run from its metrics.jsonl (ours, or TRL's names): reward hacking (proxy reward "
        + "rising while eval/gold_reward or eval/judge_reward falls), length drift, repetition, KL blow-up, entropy collapse, "
        + "value-loss explosion, val/ratio far from 1, DPO chosen log-probs falling.",
        "Prints one line per flag with the step it started. Exit code 0, or 3 with --fail-on-flags when any flag is raised."})
public final class DoctorCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN", description = "A run folder (holding metrics.jsonl) or a metrics.jsonl file.") Path run;
  @Option(names = "--window", description = "Observations per trend window (default: a sixth of the run, 3 to 20; 20 with --follow).") Integer window;
  @Option(names = "--follow", description = "Keep watching the file as a run writes it, until interrupted (Ctrl-C).") boolean follow;
  @Option(names = "--json", description = "Print {\"flags\": [{kind, step, explanation}]} instead of text.") boolean json;
  @Option(names = "--heartbeat", defaultValue = "30", description = "With --follow: a status line every N seconds "
      + "(lines seen, last step and metrics, flags so far); 0 = none (default ${DEFAULT-VALUE}).") int heartbeat;
  @Option(names = "--for", paramLabel = "SECONDS", description = "With --follow: stop watching after this many seconds "
      + "(default: until interrupted).") Long followFor;
  @Option(names = "--fail-on-flags", description = "Exit with code 3 when any flag is raised (for CI).") boolean failOnFlags;

  @Override public Integer call() throws IOException, InterruptedException {
    Path file = Files.isDirectory(run) ? run.resolve("metrics.jsonl") : run;
    if (!follow && !Files.isRegularFile(file)) {
      throw new UserError(Files.isDirectory(run) ? "run folder " + run + " has no metrics.jsonl" : "metrics file " + run + " does not exist");
    }
    DoctorConfig cfg = window != null ? config(window) : follow ? DoctorConfig.defaults() : DoctorWatch.config(lines(file));
    List<Flag> flags = follow ? follow(file, cfg) : examine(file, cfg);
    if (json) {
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(Map.of("flags", flags.stream().map(Flag::asJson).toList())));
    } else if (!follow) {
      flags.forEach(f -> System.out.println(DoctorWatch.line(f)));
      if (flags.isEmpty()) System.out.println("doctor: no flags in " + file);
    }
    return failOnFlags && !flags.isEmpty() ? 3 : 0;
  }

  private static DoctorConfig config(int window) {
    try {
      return DoctorConfig.defaults().withWindow(window);
    } catch (IllegalArgumentException e) {
      throw new UserError("--window: " + e.getMessage());
    }
  }

  private static List<Flag> examine(Path file, DoctorConfig cfg) {
    try {
      return RunDoctor.examine(file, cfg);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Watches until this thread is interrupted (Ctrl-C ends the JVM; flags were printed as they came). */
  private List<Flag> follow(Path file, DoctorConfig cfg) throws InterruptedException {
    if (!json) System.out.println("doctor: watching " + file + " (Ctrl-C to stop)");
    var problem = new java.util.concurrent.atomic.AtomicReference<String>();
    RunWatch watch = RunWatch.start(file, cfg, new RunWatch.Listener() {
      @Override public void flag(Flag f) { if (!json) System.out.println(DoctorWatch.line(f)); }
      @Override public void problem(String message) { problem.set(message); }
    });
    if (heartbeat < 0) throw new UserError("--heartbeat must be >= 0 seconds, got " + heartbeat);
    if (followFor != null && followFor < 1) throw new UserError("--for must be >= 1 second, got " + followFor);
    try {
      long start = System.nanoTime(), next = start + heartbeat * 1_000_000_000L;
      while (problem.get() == null) {
        Thread.sleep(200);
        if (heartbeat > 0 && System.nanoTime() >= next && !json) {
          System.out.println(heartbeatLine(watch.seen(), watch.flags().size()));
          next = System.nanoTime() + heartbeat * 1_000_000_000L;
        }
        if (followFor != null && System.nanoTime() - start >= followFor * 1_000_000_000L) break;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watch.close();
    }
    if (!json) System.out.println(heartbeatLine(watch.seen(), watch.flags().size())); // the whole file, read at close
    if (problem.get() != null) throw new UserError(problem.get());
    return watch.flags();
  }

  /** "doctor: 12 lines seen, last step 96: loss 0.41, objective/kl 0.12, ...; 0 flags" (at most five metrics). */
  static String heartbeatLine(RunWatch.Seen seen, int flags) {
    if (seen.lines() == 0) return "doctor: waiting for metrics (no lines yet); " + flags + " flag(s)";
    StringBuilder b = new StringBuilder("doctor: " + seen.lines() + " lines seen, last step " + seen.lastStep());
    String sep = ": ";
    int shown = 0;
    for (var e : seen.lastMetrics().entrySet()) {
      if (shown++ == 5) break;
      b.append(sep).append(e.getKey()).append(' ').append(String.format(java.util.Locale.ROOT, "%.4g", e.getValue()));
      sep = ", ";
    }
    return b.append("; ").append(flags).append(" flag(s)").toString();
  }

  private static long lines(Path file) throws IOException {
    try (var s = Files.lines(file)) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }
}

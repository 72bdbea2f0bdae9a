package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.evaluation.doctor.DoctorConfig;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.RunWatch;

/**
 * The run doctor beside every training command (ppo, rloo, grpo, dpo): watches OUTPUT/metrics.jsonl while the
 * run trains, prints each flag when it is raised, and writes OUTPUT/doctor.json at the end.
 */
final class DoctorWatch {
  static final String FILE = "doctor.json";

  private DoctorWatch() {}

  /** Something that trains and may throw. */
  interface Training<T> {
    T run() throws IOException;
  }

  /** Runs {@code training} under the doctor; {@code steps} (logged lines expected) sizes the trend window. */
  static <T> T around(Path output, long steps, PrintStream err, Training<T> training) throws IOException {
    RunWatch watch = RunWatch.start(output.resolve("metrics.jsonl"), config(steps), new RunWatch.Listener() {
      @Override public void flag(Flag f) { err.println(line(f)); }
      @Override public void problem(String message) { err.println("doctor: " + message); }
    });
    T result;
    try {
      result = training.run();
    } finally {
      watch.close();
    }
    List<Flag> flags = watch.flags();
    write(output.resolve(FILE), flags);
    err.printf(Locale.ROOT, "doctor: %s (%s)%n", flags.isEmpty() ? "no flags" : flags.size() + " flag(s)", output.resolve(FILE));
    return result;
  }

  /** Defaults with a trend window of a sixth of the run, 3 to 20 logged lines. */
  static DoctorConfig config(long steps) {
    return DoctorConfig.defaults().withWindow((int) Math.max(3, Math.min(20, steps / 6)));
  }

  static String line(Flag f) {
    return String.format(Locale.ROOT, "doctor: %s at step %d: %s", f.kind().name().toLowerCase(Locale.ROOT), f.step(), f.explanation());
  }

  static void write(Path file, List<Flag> flags) {
    List<Map<String, Object>> rows = flags.stream().map(Flag::asJson).toList();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), Map.of("flags", rows));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

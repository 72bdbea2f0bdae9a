package org.rlhf4j.evaluation.doctor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RunDoctor} watching a run while it trains: tails its {@code metrics.jsonl} (which need not exist
 * yet) from a daemon thread, feeds each new complete line to the doctor and reports each flag as it is raised.
 * {@link #close()} reads what is left and stops. A malformed line stops the watch with one {@link
 * Listener#problem} call; the run itself is never disturbed.
 *
 * <pre>{@code
 * try (RunWatch watch = RunWatch.start(dir.resolve("metrics.jsonl"), DoctorConfig.defaults(), flag -> log(flag))) {
 *   trainer.run();
 * }
 * }</pre>
 */
public final class RunWatch implements AutoCloseable {
  /** Receives flags (and, at most once, a problem that stopped the watch). Called from the watch thread. */
  public interface Listener {
    void flag(Flag flag);

    default void problem(String message) {}
  }

  private final Path file;
  private final RunDoctor doctor;
  private final Listener listener;
  private final ScheduledExecutorService timer;
  private long offset;
  private int lineNo;
  private boolean stopped;
  private long observed, lastStep = -1;
  private java.util.Map<String, Double> lastMetrics = java.util.Map.of();

  private RunWatch(Path file, DoctorConfig config, Listener listener, Duration poll) {
    this.file = Objects.requireNonNull(file, "metrics file");
    this.doctor = new RunDoctor(config);
    this.listener = Objects.requireNonNull(listener, "listener");
    if (poll.isNegative() || poll.isZero()) throw new IllegalArgumentException("poll interval must be > 0, got " + poll);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "run-doctor " + file.getFileName());
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> drain(false), 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts watching {@code metricsJsonl}, polling once a second. */
  public static RunWatch start(Path metricsJsonl, DoctorConfig config, Listener listener) {
    return start(metricsJsonl, config, listener, Duration.ofSeconds(1));
  }

  public static RunWatch start(Path metricsJsonl, DoctorConfig config, Listener listener, Duration poll) {
    return new RunWatch(metricsJsonl, config, listener, poll);
  }

  /** What the watch has seen so far: metric lines read, the last one's step (-1 before any) and metrics. */
  public record Seen(long lines, long lastStep, java.util.Map<String, Double> lastMetrics) {}

  /** Lines seen so far and the latest of them (for a heartbeat while nothing is flagged). */
  public synchronized Seen seen() { return new Seen(observed, lastStep, lastMetrics); }

  /** Flags raised so far. */
  public List<Flag> flags() {
    synchronized (this) {
      return doctor.flags();
    }
  }

  @Override
  public void close() {
    finish();
  }

  /** Reads the rest of the file (a last line without a newline included), stops the thread and returns every flag. */
  public List<Flag> finish() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain(true);
    return flags();
  }

  private synchronized void drain(boolean last) {
    if (stopped || !Files.isRegularFile(file)) return;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      if (size < offset) { // the file was rewritten (a fresh run in the same folder): start over
        offset = 0;
        lineNo = 0;
      }
      byte[] bytes = new byte[Math.toIntExact(size - offset)];
      in.seek(offset);
      in.readFully(bytes);
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] != '\n') continue;
        line(bytes, start, i);
        start = i + 1;
      }
      if (last && start < bytes.length) {
        line(bytes, start, bytes.length);
        start = bytes.length;
      }
      offset += start;
    } catch (IOException | RuntimeException e) {
      stopped = true;
      listener.problem("the run doctor stopped watching " + file + ": " + e.getMessage());
    }
  }

  private void line(byte[] bytes, int from, int to) {
    lineNo++;
    MetricsJsonl.line(file, lineNo, new String(bytes, from, to - from, StandardCharsets.UTF_8), this::observe);
  }

  private void observe(long step, java.util.Map<String, Double> metrics) {
    observed++;
    lastStep = step;
    lastMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    int before = doctor.flags().size();
    doctor.observe(step, metrics);
    List<Flag> now = doctor.flags();
    for (int i = before; i < now.size(); i++) listener.flag(now.get(i));
  }
}

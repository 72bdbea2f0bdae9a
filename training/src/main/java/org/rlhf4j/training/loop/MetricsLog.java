package org.rlhf4j.training.loop;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per logged step, appended and flushed as it happens. */
final class MetricsLog implements AutoCloseable {
  static final String FILE = "metrics.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final BufferedWriter out;

  MetricsLog(Path file) throws IOException {
    this.file = file;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private MetricsLog() {
    this.file = Path.of("(discarded)");
    this.out = new BufferedWriter(java.io.Writer.nullWriter());
  }

  /** A log that writes nothing (a data-parallel rank other than 0). */
  static MetricsLog discarding() { return new MetricsLog(); }

  void append(Map<String, Object> record) {
    try {
      out.write(JSON.writeValueAsString(record));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Drops the records of steps after {@code step} (written by a run that then crashed before
   * its next checkpoint), so a resumed run's log has each step once. Unparseable lines are kept.
   */
  static void truncateAfter(Path file, int step) throws IOException {
    if (!Files.isRegularFile(file)) return;
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      try {
        JsonNode n = JSON.readTree(line);
        if (n.path("step").asInt(Integer.MIN_VALUE) > step) continue;
      } catch (IOException e) {
        // keep what we cannot read: never lose stored data
      }
      kept.add(line);
    }
    FileOps.writeAtomically(file, tmp -> Files.write(tmp, kept, StandardCharsets.UTF_8));
  }

  @Override public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}

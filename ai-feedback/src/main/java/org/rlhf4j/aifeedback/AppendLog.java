package org.rlhf4j.aifeedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A resumable JSON Lines output: opening it reads the rows an earlier run finished (their {@code "id"}s say what to
 * skip) and cuts off a torn last line that a killed run left without its newline; {@link #append} writes whole
 * lines only, flushed to disk before it returns. So a run that fails or is killed leaves complete rows, and the
 * next run continues after them.
 */
public final class AppendLog implements AutoCloseable {
  public static final String ID = "id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final List<JsonNode> rows;
  private final Set<String> ids;
  private final boolean truncatedTail;

  private AppendLog(Path file, FileChannel channel, List<JsonNode> rows, Set<String> ids, boolean truncatedTail) {
    this.file = file;
    this.channel = channel;
    this.rows = rows;
    this.ids = ids;
    this.truncatedTail = truncatedTail;
  }

  /** Opens (creating) {@code file}; every complete line must be a JSON object with a string or number "id". */
  public static AppendLog open(Path file) {
    if (file.getFileName().toString().endsWith(".gz")) {
      throw new IllegalArgumentException(file + ": resumable outputs are plain JSON Lines; drop the .gz");
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      byte[] bytes = Files.readAllBytes(file);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') end--; // a torn last line: no newline yet
      boolean torn = end < bytes.length;
      if (torn) ch.truncate(end);
      List<JsonNode> rows = new ArrayList<>();
      Set<String> ids = new LinkedHashSet<>();
      String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) continue;
        JsonNode row = parse(file, i + 1, lines[i]);
        if (!ids.add(row.get(ID).asText())) throw new IllegalArgumentException(file + ":" + (i + 1) + ": duplicate id " + row.get(ID));
        rows.add(row);
      }
      ch.position(end);
      return new AppendLog(file, ch, rows, ids, torn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(Path file, int line, String text) {
    JsonNode row;
    try {
      row = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ":" + line + ": not a JSON object; is this an output of this command? (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (row == null || !row.isObject() || !(row.path(ID).isTextual() || row.path(ID).isNumber())) {
      throw new IllegalArgumentException(file + ":" + line + ": a row without an \"" + ID + "\": is this an output of this command?");
    }
    return row;
  }

  /** Ids of the rows already in the file (earlier runs and this one). */
  public Set<String> ids() { return Collections.unmodifiableSet(ids); }

  /** Every row in the file, oldest first. */
  public List<JsonNode> rows() { return Collections.unmodifiableList(rows); }

  /** True when opening cut off a torn last line. */
  public boolean truncatedTail() { return truncatedTail; }

  /** Writes the rows as whole lines, then forces them to disk. Each needs an id not yet in the file. */
  public void append(List<? extends JsonNode> batch) {
    StringBuilder sb = new StringBuilder();
    Set<String> added = new LinkedHashSet<>();
    for (JsonNode row : batch) {
      String id = row.path(ID).asText(null);
      if (id == null || ids.contains(id) || !added.add(id)) throw new IllegalArgumentException("row id missing or already written: " + row.get(ID));
      sb.append(row).append('\n');
    }
    try {
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) channel.write(buf);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
    ids.addAll(added);
    rows.addAll(batch);
  }

  public Path file() { return file; }

  @Override public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}

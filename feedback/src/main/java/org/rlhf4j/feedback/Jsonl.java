package org.rlhf4j.feedback;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.data.format.DataFormatException;

/** JSONL in the training core's formats, read and written through {@link DataFiles} via temporary files. */
final class Jsonl {
  private Jsonl() {}

  static byte[] preferences(List<PreferencePair> rows) { return write(p -> DataFiles.writePreferences(p, rows)); }
  static byte[] rankings(List<Ranking> rows) { return write(p -> DataFiles.writeRankings(p, rows)); }
  static byte[] unpaired(List<UnpairedExample> rows) { return write(p -> DataFiles.writeUnpaired(p, rows)); }

  static List<PreferencePair> readPreferences(byte[] raw) { return read(raw, DataFiles::readPreferences); }
  static List<Ranking> readRankings(byte[] raw) { return read(raw, DataFiles::readRankings); }
  static List<PromptCompletion> readPromptCompletions(byte[] raw) { return read(raw, DataFiles::readPromptCompletions); }

  static void send(Context ctx, String filename, byte[] body) {
    ctx.contentType("application/x-ndjson; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    ctx.result(body);
  }

  private static byte[] write(Consumer<Path> writer) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rlhf4j-export");
      Path file = dir.resolve("export.jsonl");
      writer.accept(file);
      return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Parses an uploaded file; a malformed record is a 400 naming the upload's line. */
  private static <T> List<T> read(byte[] raw, Function<Path, List<T>> reader) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rlhf4j-import");
      Path file = dir.resolve("upload.jsonl");
      Files.write(file, raw);
      return reader.apply(file);
    } catch (DataFormatException e) {
      String msg = e.getMessage();
      int cut = msg.indexOf("upload.jsonl");
      throw new BadRequestResponse("invalid upload: " + (cut >= 0 ? "upload" + msg.substring(cut + "upload.jsonl".length()) : msg));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) return;
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: temporary files only
    }
  }
}

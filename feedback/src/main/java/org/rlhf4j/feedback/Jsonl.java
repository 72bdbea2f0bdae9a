package org.rlhf4j.feedback;

import io.javalin.http.BadRequestResponse;
import org.rlhf4j.common.FileOps;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
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
      FileOps.deleteQuietly(dir);
    }
  }

  /** Parses an uploaded file; a malformed record or invalid UTF-8 is a 400 naming the upload's line. */
  private static <T> List<T> read(byte[] raw, Function<Path, List<T>> reader) {
    Path dir = null;
    try {
      requireUtf8(raw);
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
      FileOps.deleteQuietly(dir);
    }
  }

  /**
   * Where each record of an upload is, for messages: "upload line L" per non-blank line of a JSON Lines file (as
   * {@link DataFiles} reads it), or "upload record i" for a JSON array (empty list: callers number the records).
   */
  static List<String> recordPlaces(byte[] raw) {
    boolean gzip = raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    String text;
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(raw)) : new ByteArrayInputStream(raw)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    if (text.strip().startsWith("[")) return List.of();
    List<String> out = new java.util.ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) if (!lines[i].isBlank()) out.add("upload line " + (i + 1));
    return out;
  }

  /** 400 naming the line of the first byte sequence that is not UTF-8 (in the decompressed text of a gzip upload). */
  static void requireUtf8(byte[] raw) throws IOException {
    boolean gzip = raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(raw)) : new ByteArrayInputStream(raw)) {
      CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      byte[] chunk = new byte[1 << 16];
      ByteBuffer pending = ByteBuffer.allocate(chunk.length + 8);  // a chunk plus the start of a sequence cut by the last one
      CharBuffer chars = CharBuffer.allocate(chunk.length);
      long line = 1;
      for (boolean last = false; !last; ) {
        int n = in.read(chunk);
        last = n < 0;
        if (!last) pending.put(chunk, 0, n);
        pending.flip();
        int start = pending.position();
        CoderResult r;
        do {
          chars.clear();
          r = decoder.decode(pending, chars, last);
        } while (r.isOverflow());
        for (int i = start; i < pending.position(); i++) if (pending.get(i) == '\n') line++;
        if (r.isError()) {
          throw new BadRequestResponse(String.format("invalid upload: upload:%d: not valid UTF-8 (byte 0x%02X); save the file as UTF-8",
              line, pending.get(pending.position()) & 0xff));
        }
        pending.compact();
      }
    } catch (ZipException | EOFException e) {
      throw new BadRequestResponse("invalid upload: a gzip file that cannot be decompressed (" + e.getMessage() + ")");
    }
  }
}

package org.rlhf4j.data.format;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a file of JSON objects, either JSON Lines or one JSON array, optionally gzip-compressed
 * (detected from the content, not the name), remembering each object's line. Writes JSON Lines atomically.
 */
final class JsonFiles {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** One JSON Lines line: exactly one value, nothing after it. */
  private static final ObjectReader LINE = MAPPER.readerFor(JsonNode.class)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonFiles() {}

  /** All objects in the file; the whole file is parsed before anything is returned. */
  static List<JsonRecord> read(Path file) {
    try (PushbackReader in = new PushbackReader(reader(file), 1)) {
      long skippedLines = 0; // newlines before the first non-blank character
      int first = in.read();
      while (first == '\uFEFF' || (first != -1 && Character.isWhitespace(first))) {
        if (first == '\n') skippedLines++;
        first = in.read();
      }
      if (first == -1) return List.of();
      in.unread(first);
      return first == '[' ? readArray(file, in, skippedLines) : readLines(file, in, skippedLines);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such data file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read data file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes one compact JSON object per line (gzip when the name ends in .gz) via a temp file and a move. */
  static void writeLines(Path file, List<? extends JsonNode> rows) {
    try {
      FileOps.writeAtomically(file, tmp -> {
        try (Writer w = writer(tmp, file.getFileName().toString().endsWith(".gz"))) {
          for (JsonNode row : rows) {
            w.write(MAPPER.writeValueAsString(row));
            w.write('\n');
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write data file " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<JsonRecord> readLines(Path file, Reader in, long skippedLines) throws IOException {
    List<JsonRecord> out = new ArrayList<>();
    BufferedReader lines = new BufferedReader(in);
    long lineNo = skippedLines;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNo++;
      if (line.isBlank()) continue;
      JsonNode node;
      try {
        node = LINE.readValue(line);
      } catch (JsonProcessingException e) {
        throw new DataFormatException(file, lineNo, "invalid JSON: " + e.getOriginalMessage(), e);
      }
      if (!node.isObject()) throw new DataFormatException(file, lineNo, "expected a JSON object but found " + node.getNodeType());
      out.add(new JsonRecord(lineNo, node));
    }
    return out;
  }

  private static List<JsonRecord> readArray(Path file, Reader in, long skippedLines) throws IOException {
    List<JsonRecord> out = new ArrayList<>();
    try (JsonParser p = MAPPER.createParser(in)) {
      try {
        p.nextToken(); // START_ARRAY
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          long line = skippedLines + p.currentTokenLocation().getLineNr();
          if (t == null) throw new DataFormatException(file, line, "unexpected end of file inside the JSON array");
          if (t != JsonToken.START_OBJECT) throw new DataFormatException(file, line, "expected a JSON object but found " + t);
          out.add(new JsonRecord(line, MAPPER.readTree(p)));
        }
        if (p.nextToken() != null) {
          throw new DataFormatException(file, skippedLines + p.currentTokenLocation().getLineNr(), "unexpected content after the JSON array");
        }
      } catch (JsonProcessingException e) {
        long line = e.getLocation() == null ? 0 : skippedLines + e.getLocation().getLineNr();
        throw new DataFormatException(file, line, "invalid JSON: " + e.getOriginalMessage(), e);
      }
    }
    return out;
  }

  private static Reader reader(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file));
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
    try (in) { // strict UTF-8: invalid bytes are refused with their line, never stored as U+FFFD
      return new java.io.StringReader(org.rlhf4j.common.TextFiles.decode(in.readAllBytes(), file.toString()));
    }
  }

  private static Writer writer(Path file, boolean gzip) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    if (gzip) out = new GZIPOutputStream(out, 1 << 16);
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

}

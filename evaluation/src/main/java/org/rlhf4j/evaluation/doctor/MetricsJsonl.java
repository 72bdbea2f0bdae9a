package org.rlhf4j.evaluation.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a {@code metrics.jsonl}: one JSON object per line, numeric {@code step}, numeric metric fields (the
 * metrics map excludes {@code step}; non-numeric fields are dropped, except the strings "NaN", "Infinity",
 * "-Infinity", read as those numbers).
 */
final class MetricsJsonl {
  private MetricsJsonl() {}

  /** Receives each line's step and numeric metrics. */
  interface Sink {
    void accept(long step, Map<String, Double> metrics);
  }

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json.dumps writes NaN / Infinity
      .build();

  static void forEach(Path file, Sink sink) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        line(file, lineNo, line, sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses one line (blank lines are skipped) into {@code sink}; throws naming the file and line when malformed. */
  static void line(Path file, int lineNo, String line, Sink sink) {
    if (line.isBlank()) return;
    JsonNode node = parse(file, lineNo, line);
    sink.accept(step(file, lineNo, node), numbers(node));
  }

  private static JsonNode parse(Path file, int lineNo, String line) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw bad(file, lineNo, "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw bad(file, lineNo, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static long step(Path file, int lineNo, JsonNode node) {
    JsonNode s = node.get("step");
    if (s == null) throw bad(file, lineNo, "missing the \"step\" field");
    if (!s.isNumber() || !Double.isFinite(s.asDouble()) || s.asDouble() != Math.rint(s.asDouble())) {
      throw bad(file, lineNo, "\"step\" must be an integer, got " + s);
    }
    return s.asLong();
  }

  private static Map<String, Double> numbers(JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("step")) continue;
      JsonNode v = e.getValue();
      if (v.isNumber()) out.put(e.getKey(), v.asDouble());
      else if (v.isTextual() && NON_FINITE.containsKey(v.asText())) out.put(e.getKey(), NON_FINITE.get(v.asText()));
    }
    return out;
  }

  /** Jackson writes non-finite doubles as these strings by default; Python writes them as bare literals. */
  private static final Map<String, Double> NON_FINITE = Map.of(
      "NaN", Double.NaN, "Infinity", Double.POSITIVE_INFINITY, "-Infinity", Double.NEGATIVE_INFINITY);

  private static IllegalArgumentException bad(Path file, int lineNo, String what) {
    return new IllegalArgumentException(file + " line " + lineNo + ": " + what);
  }
}

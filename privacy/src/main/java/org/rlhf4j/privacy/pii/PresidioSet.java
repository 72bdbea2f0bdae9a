package org.rlhf4j.privacy.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled PII evaluation file in Presidio's span format (presidio-research's {@code synth_dataset_v2.json}): a JSON
 * array of {@code {"full_text", "spans": [{"entity_type", "start_position", "end_position"}]}}, character offsets,
 * end exclusive.
 */
public final class PresidioSet {
  /** One labelled span. */
  public record Span(String entityType, int start, int end) {
    public Span {
      if (start < 0 || end <= start) throw new IllegalArgumentException("span [" + start + ", " + end + ") is empty or negative");
    }
  }

  /** One text and its gold spans. */
  public record Sample(String text, List<Span> spans) {
    public Sample { spans = List.copyOf(spans); }
  }

  private PresidioSet() {}

  /** Reads the file; a malformed record is a one-line error naming the file and the record's index. */
  public static List<Sample> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.newBufferedReader(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) throw new IllegalArgumentException(file + ": expected a JSON array of {full_text, spans}");
    List<Sample> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode r = root.get(i);
      JsonNode text = r.get("full_text");
      JsonNode spans = r.get("spans");
      if (text == null || !text.isTextual() || spans == null || !spans.isArray()) {
        throw new IllegalArgumentException(file + ": record " + i + " lacks a string full_text or an array spans");
      }
      List<Span> ss = new ArrayList<>();
      for (JsonNode s : spans) {
        int start = s.path("start_position").asInt(-1);
        int end = s.path("end_position").asInt(-1);
        if (!s.path("entity_type").isTextual() || start < 0 || end > text.asText().length() || end <= start) {
          throw new IllegalArgumentException(file + ": record " + i + " has a span without entity_type or with offsets outside the text");
        }
        ss.add(new Span(s.get("entity_type").asText(), start, end));
      }
      out.add(new Sample(text.asText(), ss));
    }
    return out;
  }
}

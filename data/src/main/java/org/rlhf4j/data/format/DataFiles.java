package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.ResponsePair;
import org.rlhf4j.data.UnpairedExample;

/**
 * Reads and writes training data files.
 *
 * <p><b>Files.</b> JSON Lines (one object per line, blank lines ignored) or a single JSON array of objects,
 * gzip-compressed or not (detected from the bytes; writers compress when the name ends in {@code .gz}).
 * Content is a string ({@link org.rlhf4j.data.Text}) or a list of messages ({@link org.rlhf4j.data.Chat}),
 * each {@code {"role","content"}} or ShareGPT {@code {"from","value"}} (human → user, gpt → assistant).
 *
 * <p><b>Layouts</b> are detected per file from its first record; every record must then match that layout.
 * <ul>
 *   <li>Preferences: TRL explicit prompt {@code {"prompt","chosen","rejected"}} (standard or conversational);
 *       TRL implicit prompt {@code {"chosen","rejected"}} where the shared leading messages (or, for plain text,
 *       the shared leading words) become the prompt; Anthropic HH transcripts ({@code "\n\nHuman: …\n\nAssistant: …"}
 *       strings, parsed to chats and split at the shared prefix of turns); ShareGPT
 *       {@code {"conversations":[{"from","value"}], "chosen":{…}, "rejected":{…}, "system"?}}; and ranking
 *       files (below), expanded to all pairs. Soft labels: {@code "chosen_probability": p} or
 *       {@code "votes": {"chosen": n, "rejected": m}} (p = n/(n+m)); otherwise the label is hard (1.0).</li>
 *   <li>Rankings: {@code {"prompt": P, "responses": [best, …, worst]}}; when a {@code "ranking"} list of
 *       indices is present, the responses may be in any order and {@code ranking} gives them best first.</li>
 *   <li>Prompt/completion: {@code {"prompt","completion"}}; {@code {"messages"}} or ShareGPT
 *       {@code {"conversations"}} (the last assistant message is the completion); {@code {"text"}} (empty prompt).</li>
 *   <li>Unlabelled pairs: {@code {"prompt","response_a","response_b"}} (what an AI judge labels).</li>
 *   <li>Prompts: any record with a {@code "prompt"} (string or messages); other fields are ignored.</li>
 *   <li>Unpaired: {@code {"prompt","completion","label"}}, {@code {"messages","label"}},
 *       {@code {"conversations","label"|"kto_tag"}} with a boolean label (true = desirable).</li>
 * </ul>
 *
 * <p><b>Errors.</b> Readers are all-or-nothing: the whole file is parsed before anything is returned, and the
 * first malformed record throws {@link DataFormatException} naming the file and its line. I/O failures
 * (e.g. a missing file) throw {@link java.io.UncheckedIOException} naming the file. Writers write JSON Lines
 * in the TRL layout to a temporary file and move it into place, so a failed write leaves an existing file intact.
 */
public final class DataFiles {
  private DataFiles() {}

  /**
   * Prompt/completion records for supervised training. Unpaired (KTO-style) rows are refused: their {@code label}
   * marks completions as undesirable too, which supervised training would learn; read them with
   * {@link #readUnpaired} (and keep the desirable ones) instead.
   */
  public static List<PromptCompletion> readPromptCompletions(Path file) {
    List<JsonRecord> records = JsonFiles.read(file);
    for (JsonRecord r : records) {
      if (detect(r.node(), Layouts.UNPAIRED) != null) {
        throw new DataFormatException(file, r.line(), "unpaired (KTO-style) row with a \"" + (r.node().has("label") ? "label" : "kto_tag")
            + "\": supervised training would learn its completion even when it is marked undesirable (false)");
      }
    }
    return read(file, records, Layouts.PROMPT_COMPLETIONS, "prompt/completion");
  }

  /** True when the file's first record is an unpaired (KTO-style) row: a completion with a boolean label. */
  public static boolean isUnpaired(Path file) {
    List<JsonRecord> records = JsonFiles.read(file);
    return !records.isEmpty() && detect(records.get(0).node(), Layouts.UNPAIRED) != null;
  }

  public static List<PreferencePair> readPreferences(Path file) {
    return read(file, Layouts.PREFERENCES, "preference");
  }

  public static List<Ranking> readRankings(Path file) {
    return read(file, Layouts.RANKINGS, "ranking");
  }

  public static List<UnpairedExample> readUnpaired(Path file) {
    return read(file, Layouts.UNPAIRED, "unpaired");
  }

  public static List<ResponsePair> readResponsePairs(Path file) {
    return read(file, Layouts.RESPONSE_PAIRS, "unlabelled pair");
  }

  public static List<Content> readPrompts(Path file) {
    return read(file, Layouts.PROMPTS, "prompt");
  }

  /** {"prompt","chosen","rejected"} per line, plus "chosen_probability" for soft labels. */
  public static void writePreferences(Path file, List<PreferencePair> pairs) {
    write(file, pairs, DataFiles::toJson);
  }

  /** The record {@link #writePreferences} writes for one pair (callers may add fields that readers ignore). */
  public static ObjectNode toJson(PreferencePair p) {
    ObjectNode o = Json.object();
    o.set("prompt", Json.toJson(p.prompt()));
    o.set("chosen", Json.toJson(p.chosen()));
    o.set("rejected", Json.toJson(p.rejected()));
    if (!p.isHard()) o.put("chosen_probability", p.chosenProbability());
    return o;
  }

  /** {"prompt","completion"} per line. */
  public static void writePromptCompletions(Path file, List<PromptCompletion> rows) {
    write(file, rows, DataFiles::toJson);
  }

  /** The record {@link #writePromptCompletions} writes for one row (callers may add fields that readers ignore). */
  public static ObjectNode toJson(PromptCompletion r) {
    ObjectNode o = Json.object();
    o.set("prompt", Json.toJson(r.prompt()));
    o.set("completion", Json.toJson(r.completion()));
    return o;
  }

  /** The JSON form of content: a string for text, a list of {"role","content"} objects for a conversation. */
  public static JsonNode toJson(Content c) { return Json.toJson(c); }

  /** {"prompt","responses":[best, ..., worst]} per line. */
  public static void writeRankings(Path file, List<Ranking> rows) {
    write(file, rows, r -> {
      ObjectNode o = Json.object();
      o.set("prompt", Json.toJson(r.prompt()));
      ArrayNode responses = o.putArray("responses");
      for (Content c : r.bestFirst()) responses.add(Json.toJson(c));
      return o;
    });
  }

  /** {"prompt","completion","label"} per line. */
  public static void writeUnpaired(Path file, List<UnpairedExample> rows) {
    write(file, rows, r -> {
      ObjectNode o = Json.object();
      o.set("prompt", Json.toJson(r.prompt()));
      o.set("completion", Json.toJson(r.completion()));
      o.put("label", r.desirable());
      return o;
    });
  }

  private static <T> List<T> read(Path file, List<Layout<T>> layouts, String kind) {
    return read(file, JsonFiles.read(file), layouts, kind);
  }

  private static <T> List<T> read(Path file, List<JsonRecord> records, List<Layout<T>> layouts, String kind) {
    if (records.isEmpty()) return List.of();
    JsonRecord first = records.get(0);
    Layout<T> layout = detect(first.node(), layouts);
    if (layout == null) {
      throw new DataFormatException(file, first.line(), "not a known " + kind + " layout; fields " + fieldNames(first.node())
          + "; expected one of: " + layouts.stream().map(Layout::name).collect(Collectors.joining("; ")));
    }
    List<T> out = new ArrayList<>(records.size());
    for (JsonRecord r : records) {
      Layout<T> own = detect(r.node(), layouts);
      if (own != layout) {
        throw new DataFormatException(file, r.line(), "record does not match the file's layout '" + layout.name()
            + "' (detected from line " + first.line() + "); its fields are " + fieldNames(r.node()));
      }
      try {
        out.addAll(layout.parse().apply(r.node()));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        throw new DataFormatException(file, r.line(), e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  private static <T> Layout<T> detect(JsonNode row, List<Layout<T>> layouts) {
    for (Layout<T> l : layouts) if (l.matches().test(row)) return l;
    return null;
  }

  private static List<String> fieldNames(JsonNode row) {
    List<String> names = new ArrayList<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static <T> void write(Path file, List<T> rows, Function<T, JsonNode> toJson) {
    List<JsonNode> nodes = new ArrayList<>(rows.size());
    for (T row : rows) nodes.add(toJson.apply(row));
    JsonFiles.writeLines(file, nodes);
  }
}

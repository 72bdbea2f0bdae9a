package org.rlhf4j.aifeedback.cai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A written constitution (Bai et al. 2022): the principles Constitutional AI critiques, revises and prefers by.
 *
 * <p>File (YAML or JSON): {@code {name?, principles: [{name?, critique_request?, revision_request?, preference_question?}]}},
 * or just the list of principles — the layout of Constitutional AI's own 16 critique/revision pairs
 * ({@code [{name, critique_request, revision_request}]}). Each principle needs both requests, a preference question,
 * or all three. A malformed file fails with its path and the field, e.g. {@code principles[3].revision_request}.
 */
public final class Constitution {
  private static final Set<String> TOP = Set.of("name", "principles");
  private static final Set<String> FIELDS = Set.of("name", "critique_request", "revision_request", "preference_question");
  private static final String DEFAULT = "default-constitution.yaml";

  private final String name;
  private final List<Principle> principles;

  public Constitution(String name, List<Principle> principles) {
    if (principles == null || principles.isEmpty()) throw new IllegalArgumentException("a constitution needs at least one principle");
    this.name = name == null ? "constitution" : name;
    this.principles = List.copyOf(principles);
  }

  /** The built-in constitution (default-constitution.yaml in this package): harmlessness and helpfulness. */
  public static Constitution defaults() {
    try (InputStream in = Constitution.class.getResourceAsStream(DEFAULT)) {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(in), "built-in " + DEFAULT, "rlhf4j-default");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in " + DEFAULT, e);
    }
  }

  /** Reads a constitution file; errors name the file and the field. */
  public static Constitution load(Path file) {
    ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    try {
      String stem = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
      return parse(mapper.readTree(Files.readString(file)), file.toString(), stem);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
      throw new IllegalArgumentException(file + at + ": malformed " + (file.toString().endsWith(".json") ? "JSON" : "YAML")
          + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("constitution file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read constitution " + file + ": " + e.getMessage(), e);
    }
  }

  static Constitution parse(JsonNode root, String source, String defaultName) {
    if (root == null || root.isMissingNode() || root.isNull()) throw new IllegalArgumentException(source + ": empty constitution");
    JsonNode list = root;
    String name = defaultName;
    if (root.isObject()) {
      unknownKeys(root, TOP, source, "");
      if (root.has("name")) name = optionalText(root, "name", source, "");
      list = root.get("principles");
      if (list == null) throw new IllegalArgumentException(source + ": missing field 'principles'");
      if (!list.isArray()) throw new IllegalArgumentException(source + ": field 'principles' must be a list");
    } else if (!root.isArray()) {
      throw new IllegalArgumentException(source + ": expected a list of principles or a mapping with 'principles'");
    }
    if (list.isEmpty()) throw new IllegalArgumentException(source + ": field 'principles' is empty");
    List<Principle> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) out.add(principle(list.get(i), source, "principles[" + i + "]", i));
    return new Constitution(name, out);
  }

  private static Principle principle(JsonNode p, String source, String where, int index) {
    if (!p.isObject()) throw new IllegalArgumentException(source + ": " + where + " must be a mapping");
    unknownKeys(p, FIELDS, source, where + ".");
    String name = optionalText(p, "name", source, where + ".");
    String critique = optionalText(p, "critique_request", source, where + ".");
    String revision = optionalText(p, "revision_request", source, where + ".");
    String question = optionalText(p, "preference_question", source, where + ".");
    if (critique != null && revision == null) throw new IllegalArgumentException(source + ": missing field '" + where + ".revision_request'");
    if (revision != null && critique == null) throw new IllegalArgumentException(source + ": missing field '" + where + ".critique_request'");
    if (critique == null && question == null) {
      throw new IllegalArgumentException(source + ": " + where + " needs 'critique_request' and 'revision_request', or 'preference_question'");
    }
    return new Principle(name == null ? "principle-" + index : name, critique, revision, question);
  }

  private static String optionalText(JsonNode o, String key, String source, String prefix) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw new IllegalArgumentException(source + ": field '" + prefix + key + "' must be a non-empty string");
    }
    return v.textValue();
  }

  private static void unknownKeys(JsonNode o, Set<String> known, String source, String prefix) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) throw new IllegalArgumentException(source + ": unknown field '" + prefix + k + "' (known: " + known + ")");
    }
  }

  public String name() { return name; }

  public List<Principle> principles() { return principles; }

  /** The principles with critique and revision requests (SL-CAI). */
  public List<Principle> critiques() { return principles.stream().filter(Principle::critiques).toList(); }

  /** The principles with a preference question (RL-CAI). */
  public List<Principle> preferences() { return principles.stream().filter(Principle::prefers).toList(); }

  /** A critique principle drawn uniformly. */
  public Principle drawCritique(SplittableRandom rnd) { return draw(critiques(), rnd, "critique_request/revision_request", "critique-revise"); }

  /** A preference principle drawn uniformly. */
  public Principle drawPreference(SplittableRandom rnd) { return draw(preferences(), rnd, "preference_question", "AI preference labelling"); }

  private Principle draw(List<Principle> from, SplittableRandom rnd, String field, String use) {
    if (from.isEmpty()) throw new IllegalArgumentException("constitution '" + name + "' has no principle with a " + field + " (" + use + " needs one)");
    return from.get(rnd.nextInt(from.size()));
  }

  /** A seeded stream for item {@code id}'s draws (stable across runs, so resumed work draws the same principles). */
  public static SplittableRandom drawsFor(long seed, String id) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id.hashCode());
  }
}

package org.rlhf4j.aifeedback.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grading prompt of a pointwise judge ({@link LmGrader}, MT-Bench's single-answer grading): a Jinja template for
 * the request (variables {@code prompt}, {@code response}, {@code criterion}), the grades whose tokens are read —
 * strings that are numbers once stripped (" 1" … " 5"), their values the grade — the text that starts the answer, an
 * optional system message, and whether to render through the model's chat template. A file is YAML/JSON with those
 * keys ({@code template} required). See {@code default-grader.yaml}.
 */
public final class GradeTemplate {
  private static final Jinjava JINJA = new Jinjava();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KEYS = Set.of("template", "grades", "answer_prefix", "system", "chat");
  private static final String DEFAULT = "default-grader.yaml";

  private final String template;
  private final List<String> grades;
  private final double[] values;
  private final String answerPrefix;
  private final String system;
  private final boolean chat;
  private final String source;

  public GradeTemplate(String template, List<String> grades, String answerPrefix, String system, boolean chat, String source) {
    if (template == null || template.isBlank()) throw new IllegalArgumentException(source + ": 'template' is empty");
    if (grades == null || grades.size() < 2) throw new IllegalArgumentException(source + ": 'grades' must list at least two grades, got " + grades);
    if (new HashSet<>(grades).size() != grades.size()) throw new IllegalArgumentException(source + ": 'grades' repeats a grade: " + grades);
    this.values = new double[grades.size()];
    for (int i = 0; i < grades.size(); i++) {
      try {
        values[i] = Double.parseDouble(grades.get(i).strip());
      } catch (NumberFormatException | NullPointerException e) {
        throw new IllegalArgumentException(source + ": 'grades' entry " + (i + 1) + " is not a number: \"" + grades.get(i) + "\"");
      }
    }
    this.template = template;
    this.grades = List.copyOf(grades);
    this.answerPrefix = answerPrefix == null ? "" : answerPrefix;
    this.system = system == null || system.isBlank() ? null : system;
    this.chat = chat;
    this.source = source;
  }

  /** The built-in template (default-grader.yaml in this package). */
  public static GradeTemplate defaults() {
    try (InputStream in = GradeTemplate.class.getResourceAsStream(DEFAULT)) {
      return parse(YAML.readTree(in), "built-in " + DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in " + DEFAULT, e);
    }
  }

  /** A YAML/JSON grading template file. Errors name the file and the key. */
  public static GradeTemplate load(Path file) {
    try {
      return parse(YAML.readTree(file.toFile()), file.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": malformed YAML/JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read grading template " + file + ": " + e.getMessage(), e);
    }
  }

  private static GradeTemplate parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": expected a mapping with a 'template'");
    root.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) throw new IllegalArgumentException(source + ": unknown key '" + k + "' (known: " + KEYS + ")");
    });
    JsonNode t = root.get("template");
    if (t == null || !t.isTextual()) throw new IllegalArgumentException(source + ": 'template' must be a string");
    List<String> grades = new ArrayList<>(List.of(" 1", " 2", " 3", " 4", " 5"));
    if (root.has("grades")) {
      JsonNode g = root.get("grades");
      if (!g.isArray()) throw new IllegalArgumentException(source + ": 'grades' must be a list of strings");
      grades.clear();
      for (JsonNode x : g) {
        if (!x.isTextual()) throw new IllegalArgumentException(source + ": 'grades' must be a list of strings, got " + x);
        grades.add(x.textValue());
      }
    }
    JsonNode chat = root.get("chat");
    if (chat != null && !chat.isBoolean()) throw new IllegalArgumentException(source + ": 'chat' must be true or false");
    return new GradeTemplate(t.textValue(), grades, text(root, "answer_prefix", source), text(root, "system", source),
        chat == null || chat.booleanValue(), source);
  }

  private static String text(JsonNode root, String key, String source) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(source + ": '" + key + "' must be a string");
    return v.textValue();
  }

  /** The grading request for one response (the user message, or the whole text without a chat template). */
  public String render(String prompt, String response, String criterion) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("prompt", prompt);
    vars.put("response", response);
    vars.put("criterion", criterion == null ? "" : criterion);
    RenderResult r = JINJA.renderForResult(template, vars);
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new JudgeException(source + ": template failed at line " + e.getLineno() + ": " + e.getMessage());
      }
    }
    return r.getOutput();
  }

  public List<String> grades() { return grades; }
  /** The value of each grade, in the order of {@link #grades()}. */
  public double[] values() { return values.clone(); }
  public String answerPrefix() { return answerPrefix; }
  public String system() { return system; }
  public boolean chat() { return chat; }
  public String source() { return source; }
}

package org.rlhf4j.aifeedback.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
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
  public static GradeTemplate defaults() { return parse(TemplateYaml.resource(GradeTemplate.class, DEFAULT), "built-in " + DEFAULT); }

  /** A YAML/JSON grading template file. Errors name the file and the key. */
  public static GradeTemplate load(Path file) { return parse(TemplateYaml.file(file, "grading template"), file.toString()); }

  private static GradeTemplate parse(JsonNode root, String source) {
    String template = TemplateYaml.template(root, KEYS, source);
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
    return new GradeTemplate(template, grades, TemplateYaml.text(root, "answer_prefix", source), TemplateYaml.text(root, "system", source),
        TemplateYaml.chat(root, source), source);
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

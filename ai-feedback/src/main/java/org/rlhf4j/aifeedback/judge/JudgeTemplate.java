package org.rlhf4j.aifeedback.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The judging prompt: a Jinja template for the request (variables {@code prompt}, {@code response_a},
 * {@code response_b}, {@code criterion}, {@code option_a}, {@code option_b}), the two answer options whose first
 * tokens are read, the text that starts the answer, an optional system message, and whether to render through the
 * model's chat template. A file is YAML/JSON with those keys ({@code template} required), or a plain Jinja file
 * (then the options are " A"/" B" after "The better response is"). See {@code default-judge.yaml}.
 */
public final class JudgeTemplate {
  private static final Jinjava JINJA = new Jinjava();
  private static final Set<String> KEYS = Set.of("template", "options", "answer_prefix", "system", "chat");
  private static final String DEFAULT = "default-judge.yaml";

  private final String template;
  private final List<String> options;
  private final String answerPrefix;
  private final String system;
  private final boolean chat;
  private final String source;

  public JudgeTemplate(String template, List<String> options, String answerPrefix, String system, boolean chat, String source) {
    if (template == null || template.isBlank()) throw new IllegalArgumentException(source + ": 'template' is empty");
    if (options == null || options.size() != 2 || options.stream().anyMatch(o -> o == null || o.isBlank())
        || options.get(0).equals(options.get(1))) {
      throw new IllegalArgumentException(source + ": 'options' must be two different non-blank strings, got " + options);
    }
    this.template = template;
    this.options = List.copyOf(options);
    this.answerPrefix = answerPrefix == null ? "" : answerPrefix;
    this.system = system == null || system.isBlank() ? null : system;
    this.chat = chat;
    this.source = source;
  }

  /** The built-in template (default-judge.yaml in this package). */
  public static JudgeTemplate defaults() { return parse(TemplateYaml.resource(JudgeTemplate.class, DEFAULT), "built-in " + DEFAULT); }

  /** A YAML/JSON template file (by extension), or a plain Jinja file. Errors name the file and the key. */
  public static JudgeTemplate load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
      return parse(TemplateYaml.file(file, "judge template"), file.toString());
    }
    try {
      return new JudgeTemplate(Files.readString(file), List.of(" A", " B"), "The better response is", null, true, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read judge template " + file + ": " + e.getMessage(), e);
    }
  }

  private static JudgeTemplate parse(JsonNode root, String source) {
    String template = TemplateYaml.template(root, KEYS, source);
    List<String> options = List.of(" A", " B");
    if (root.has("options")) {
      JsonNode o = root.get("options");
      if (!o.isArray() || o.size() != 2 || !o.get(0).isTextual() || !o.get(1).isTextual()) {
        throw new IllegalArgumentException(source + ": 'options' must be a list of two strings");
      }
      options = List.of(o.get(0).textValue(), o.get(1).textValue());
    }
    return new JudgeTemplate(template, options, TemplateYaml.text(root, "answer_prefix", source), TemplateYaml.text(root, "system", source),
        TemplateYaml.chat(root, source), source);
  }

  /** The judging request for one comparison (the user message, or the whole text without a chat template). */
  public String render(Comparison c) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("prompt", c.promptText());
    vars.put("response_a", c.responseA());
    vars.put("response_b", c.responseB());
    vars.put("criterion", c.criterion());
    vars.put("option_a", options.get(0).strip());
    vars.put("option_b", options.get(1).strip());
    RenderResult r = JINJA.renderForResult(template, vars);
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new JudgeException(source + ": template failed at line " + e.getLineno() + ": " + e.getMessage());
      }
    }
    return r.getOutput();
  }

  public List<String> options() { return options; }
  public String answerPrefix() { return answerPrefix; }
  /** The system message, or null. */
  public String system() { return system; }
  public boolean chat() { return chat; }
  public String source() { return source; }
}

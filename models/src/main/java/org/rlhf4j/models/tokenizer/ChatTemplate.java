package org.rlhf4j.models.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face chat template (Jinja source from {@code tokenizer_config.json}), rendered with
 * Jinjava configured like transformers' environment: {@code trim_blocks}, {@code lstrip_blocks},
 * loop controls, {@code raise_exception(msg)} (a {@link ChatTemplateException}), and the common
 * Python string methods ({@code strip}, {@code startswith}, ...).
 */
public final class ChatTemplate {
  /** ChatML ({@code <|im_start|>role\ncontent<|im_end|>\n}), the fallback for tokenizers without a template. */
  public static final String CHATML_SOURCE =
      "{% for message in messages %}"
      + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
      + "{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private static final Jinjava JINJAVA = newEngine();

  private final String source;
  private final String bosToken;
  private final String eosToken;

  private ChatTemplate(String source, String bosToken, String eosToken) {
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
  }

  /** A template from Jinja source; {@code bosToken}/{@code eosToken} fill the variables of the same names (null → ""). */
  public static ChatTemplate of(String jinjaSource, String bosToken, String eosToken) {
    if (jinjaSource == null || jinjaSource.isBlank()) {
      throw new IllegalArgumentException("chat template source is empty");
    }
    // Like Jinja's default keep_trailing_newline=False: a single trailing newline is not output.
    String src = jinjaSource.endsWith("\n") ? jinjaSource.substring(0, jinjaSource.length() - 1) : jinjaSource;
    return new ChatTemplate(pythonToJava(src), bosToken == null ? "" : bosToken,
        eosToken == null ? "" : eosToken);
  }

  public static ChatTemplate chatMl() { return of(CHATML_SOURCE, "", ""); }

  /** Renders {@code messages} (each with "role" and "content"), ending with the assistant prefix when asked. */
  public String render(List<Map<String, String>> messages, boolean addGenerationPrompt) {
    return render(messages, addGenerationPrompt, Map.of());
  }

  /** As {@link #render(List, boolean)}, with extra template variables (e.g. {@code date_string}). */
  public String render(List<Map<String, String>> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
    List<Map<String, Object>> copy = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Map<String, String> m = messages.get(i);
      if (m.get("role") == null || m.get("content") == null) {
        throw new IllegalArgumentException("message " + i + " needs a \"role\" and a \"content\": " + m);
      }
      copy.add(new HashMap<>(m));
    }
    Map<String, Object> vars = new HashMap<>(extra);
    vars.put("messages", copy);
    vars.put("add_generation_prompt", addGenerationPrompt);
    vars.put("bos_token", bosToken);
    vars.put("eos_token", eosToken);
    RenderResult result = JINJAVA.renderForResult(source, vars);
    failOnErrors(result);
    return result.getOutput();
  }

  /**
   * The conversation rendered so that the model continues its final message (an assistant turn left open, "prefill"):
   * rendered without the generation prompt and cut right after that message's content, as transformers'
   * {@code apply_chat_template(continue_final_message=True)} does (and vLLM's {@code continue_final_message}). When the
   * template trims the content, its stripped form is looked for instead.
   */
  public String renderContinuingFinal(List<Map<String, String>> messages) {
    if (messages.isEmpty()) throw new IllegalArgumentException("there is no final message to continue");
    String content = messages.get(messages.size() - 1).get("content");
    if (content == null || content.isBlank()) throw new IllegalArgumentException("the final message to continue is empty");
    String full = render(messages, false);
    String needle = full.contains(content) ? content : content.strip();
    int at = full.lastIndexOf(needle);
    if (at < 0) throw new IllegalArgumentException("the chat template does not write the final message's content, so it cannot be continued");
    return full.substring(0, at + needle.length());
  }

  private static void failOnErrors(RenderResult result) {
    for (TemplateError e : result.getErrors()) {
      ChatTemplateException raised = raisedBy(e.getException());
      if (raised != null) throw raised;
    }
    for (TemplateError e : result.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new ChatTemplateException("chat template failed at line " + e.getLineno() + ": " + e.getMessage());
      }
    }
  }

  private static ChatTemplateException raisedBy(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof ChatTemplateException c) return c;
    }
    return null;
  }

  /** Called by templates as {@code raise_exception(message)}. */
  public static String raiseException(String message) {
    throw new ChatTemplateException("chat template raised: " + message);
  }

  private static Jinjava newEngine() {
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        // Message text is data: Jinjava would otherwise render "{{ ... }}" found inside it (a syntax error on code
        // snippets, or template injection); Jinja never does.
        .withNestedInterpretationEnabled(false)
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .build())
        .build();
    Jinjava j = new Jinjava(config);
    j.registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    return j;
  }

  private static final Pattern PY_METHOD = Pattern.compile(
      "\\.(startswith|endswith|lstrip|rstrip|upper|lower)\\(");

  /** Rewrites Python string methods templates use into the Java ones Jinjava can call. */
  static String pythonToJava(String source) {
    Matcher m = PY_METHOD.matcher(source);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String java = switch (m.group(1)) {
        case "startswith" -> "startsWith";
        case "endswith" -> "endsWith";
        case "lstrip" -> "stripLeading";
        case "rstrip" -> "stripTrailing";
        case "upper" -> "toUpperCase";
        default -> "toLowerCase";
      };
      m.appendReplacement(sb, "." + java + "(");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The Jinja source as rendered (after the Python-method rewrite). */
  public String source() { return source; }
}

package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated /v1/completions or /v1/chat/completions body: the text prompt (chat messages rendered
 * by the caller), sampling settings and output options. Every refusal is a 400 naming the parameter.
 */
record CompletionRequest(boolean chat, String model, String prompt, List<Map<String, String>> messages, int maxTokens,
    double temperature, double topP, Long seed, List<String> stop, int logprobs, boolean stream, boolean includeUsage,
    String user, Ending ending) {

  /**
   * How the chat template ends the prompt (vLLM's {@code add_generation_prompt} and {@code continue_final_message}):
   * with the assistant's generation prompt (the default), with nothing, or inside the final assistant message, which the
   * model then continues (prefill: a judge's "The better answer is", a forced JSON opening).
   */
  enum Ending {
    GENERATION_PROMPT, NONE, CONTINUE_FINAL;

    String render(org.rlhf4j.models.tokenizer.ChatTemplate t, List<Map<String, String>> messages) {
      return switch (this) {
        case GENERATION_PROMPT -> t.render(messages, true);
        case NONE -> t.render(messages, false);
        case CONTINUE_FINAL -> t.renderContinuingFinal(messages);
      };
    }
  }

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  static CompletionRequest parse(JsonNode body, boolean chat, ServingConfig cfg) {
    if (body == null || !body.isObject()) throw ApiError.invalid(null, "the request body must be a JSON object");
    String model = text(body, "model", true);
    String prompt = null;
    List<Map<String, String>> messages = null;
    if (chat) messages = messages(body.get("messages"));
    else prompt = prompt(body.get("prompt"));
    int n = integer(body, "n", 1, 1, 1);
    assert n == 1;
    int dflt = chat ? Math.min(256, cfg.maxTokens()) : Math.min(16, cfg.maxTokens());
    String tokensKey = chat && body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    int maxTokens = integer(body, tokensKey, dflt, 1, cfg.maxTokens());
    double temperature = number(body, "temperature", 1.0, 0, 2);
    double topP = number(body, "top_p", 1.0, 0, 1);
    if (topP == 0) throw ApiError.invalid("top_p", "top_p must be in (0, 1], got 0");
    Long seed = body.hasNonNull("seed") ? (long) number(body, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    List<String> stop = stop(body.get("stop"));
    int logprobs;
    if (chat) {
      boolean want = bool(body, "logprobs", false);
      int top = integer(body, "top_logprobs", 0, 0, 20);
      if (top > 0 && !want) throw ApiError.invalid("top_logprobs", "top_logprobs needs logprobs: true");
      logprobs = want ? top : -1;
    } else {
      logprobs = body.hasNonNull("logprobs") ? integer(body, "logprobs", 0, 0, 5) : -1;
      if (bool(body, "echo", false)) throw ApiError.invalid("echo", "echo is not supported");
    }
    boolean stream = bool(body, "stream", false);
    JsonNode so = body.get("stream_options");
    boolean usage = so != null && so.isObject() && so.path("include_usage").asBoolean(false);
    String user = body.hasNonNull("user") ? text(body, "user", false) : null;
    return new CompletionRequest(chat, model, prompt, messages, maxTokens, temperature, topP, seed, stop, logprobs, stream,
        usage, user, ending(body, chat, messages));
  }

  /** add_generation_prompt (default: not continue_final_message) and continue_final_message (default false). */
  private static Ending ending(JsonNode body, boolean chat, List<Map<String, String>> messages) {
    if (!chat) {
      for (String k : List.of("add_generation_prompt", "continue_final_message")) {
        if (body.has(k)) throw ApiError.invalid(k, k + " applies to /v1/chat/completions only");
      }
      return Ending.GENERATION_PROMPT;
    }
    boolean cont = bool(body, "continue_final_message", false);
    boolean gen = bool(body, "add_generation_prompt", !cont);
    if (cont && gen) {
      throw ApiError.invalid("continue_final_message", "continue_final_message and add_generation_prompt cannot both be true");
    }
    String lastRole = messages.get(messages.size() - 1).get("role");
    if (cont && !lastRole.equals("assistant")) {
      throw ApiError.invalid("continue_final_message", "continue_final_message needs the last message to be the assistant's "
          + "(the text to continue), got role '" + lastRole + "'");
    }
    return cont ? Ending.CONTINUE_FINAL : gen ? Ending.GENERATION_PROMPT : Ending.NONE;
  }

  private static List<Map<String, String>> messages(JsonNode m) {
    if (m == null || !m.isArray() || m.isEmpty()) throw ApiError.invalid("messages", "messages must be a non-empty array");
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      JsonNode msg = m.get(i);
      String role = msg.path("role").asText("");
      if (!ROLES.contains(role)) throw ApiError.invalid("messages[" + i + "].role", "messages[" + i + "].role must be one of " + ROLES + ", got '" + role + "'");
      JsonNode c = msg.get("content");
      String content;
      if (c != null && c.isTextual()) content = c.asText();
      else if (c != null && c.isArray()) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : c) {
          if (!"text".equals(part.path("type").asText())) {
            throw ApiError.invalid("messages[" + i + "].content", "only text content parts are supported, got '" + part.path("type").asText() + "'");
          }
          b.append(part.path("text").asText());
        }
        content = b.toString();
      } else throw ApiError.invalid("messages[" + i + "].content", "messages[" + i + "].content must be a string or text parts");
      Map<String, String> e = new LinkedHashMap<>();
      e.put("role", "developer".equals(role) ? "system" : role);
      e.put("content", content);
      out.add(e);
    }
    return out;
  }

  private static String prompt(JsonNode p) {
    if (p != null && p.isTextual()) return p.asText();
    if (p != null && p.isArray() && p.size() == 1 && p.get(0).isTextual()) return p.get(0).asText();
    throw ApiError.invalid("prompt", "prompt must be a string (or a list of one string)");
  }

  private static List<String> stop(JsonNode s) {
    if (s == null || s.isNull()) return List.of();
    List<String> out = new ArrayList<>();
    if (s.isTextual()) out.add(s.asText());
    else if (s.isArray() && s.size() <= 4) for (JsonNode x : s) {
      if (!x.isTextual()) throw ApiError.invalid("stop", "stop must be a string or a list of up to 4 strings");
      out.add(x.asText());
    }
    else throw ApiError.invalid("stop", "stop must be a string or a list of up to 4 strings");
    if (out.stream().anyMatch(String::isEmpty)) throw ApiError.invalid("stop", "stop strings must not be empty");
    return out;
  }

  private static String text(JsonNode b, String key, boolean required) {
    JsonNode v = b.get(key);
    if (v == null || v.isNull()) {
      if (required) throw ApiError.invalid(key, "missing required parameter '" + key + "'");
      return null;
    }
    if (!v.isTextual()) throw ApiError.invalid(key, key + " must be a string");
    return v.asText();
  }

  private static double number(JsonNode b, String key, double dflt, double min, double max) {
    JsonNode v = b.get(key);
    if (v == null || v.isNull()) return dflt;
    if (!v.isNumber()) throw ApiError.invalid(key, key + " must be a number, got " + v);
    double d = v.asDouble();
    if (!(d >= min && d <= max)) throw ApiError.invalid(key, key + " must be in [" + fmt(min) + ", " + fmt(max) + "], got " + v);
    return d;
  }

  private static int integer(JsonNode b, String key, int dflt, int min, int max) {
    JsonNode v = b.get(key);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber()) throw ApiError.invalid(key, key + " must be an integer, got " + v);
    long x = v.asLong();
    if (x < min || x > max) throw ApiError.invalid(key, key + " must be in [" + min + ", " + max + "], got " + v);
    return (int) x;
  }

  private static boolean bool(JsonNode b, String key, boolean dflt) {
    JsonNode v = b.get(key);
    if (v == null || v.isNull()) return dflt;
    if (!v.isBoolean()) throw ApiError.invalid(key, key + " must be true or false, got " + v);
    return v.asBoolean();
  }

  private static String fmt(double d) { return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d); }
}

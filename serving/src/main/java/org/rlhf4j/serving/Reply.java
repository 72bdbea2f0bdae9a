package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenAI's response shapes for one request: a whole {@code chat.completion} / {@code text_completion}, or its
 * stream chunks ({@code chat.completion.chunk}, {@code text_completion}), with logprobs in each endpoint's layout.
 *
 * @param model    the deployment's id (the experiment's arm under A/B)
 * @param logprobs -1 none; otherwise the chosen token's log-prob and this many alternatives
 */
record Reply(String id, long created, String model, String version, boolean chat, int logprobs) {

  ObjectNode whole(Job.Finish f, List<Job.TokenInfo> tokens) {
    ObjectNode out = head(chat ? "chat.completion" : "text_completion");
    ObjectNode c = out.putArray("choices").addObject().put("index", 0);
    if (chat) {
      c.putObject("message").put("role", "assistant").put("content", f.text()).putNull("refusal");
      if (logprobs >= 0) c.set("logprobs", chatLogprobs(tokens));
      else c.putNull("logprobs");
    } else {
      c.put("text", f.text());
      if (logprobs >= 0) c.set("logprobs", textLogprobs(tokens));
      else c.putNull("logprobs");
    }
    c.put("finish_reason", f.reason());
    out.set("usage", usageNode(f));
    return out;
  }

  /** A content chunk: chat {@code delta} (or the first, role-only one), completions {@code text}. */
  ObjectNode chunk(ObjectNode delta, String text, List<Job.TokenInfo> tokens) {
    ObjectNode out = head(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode c = out.putArray("choices").addObject().put("index", 0);
    if (chat) c.set("delta", delta);
    else c.put("text", text);
    if (logprobs >= 0 && !tokens.isEmpty()) c.set("logprobs", chat ? chatLogprobs(tokens) : textLogprobs(tokens));
    else c.putNull("logprobs");
    c.putNull("finish_reason");
    return out;
  }

  /** The closing chunk with the finish reason. */
  ObjectNode last(Job.Finish f) {
    ObjectNode out = head(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode c = out.putArray("choices").addObject().put("index", 0);
    if (chat) c.putObject("delta");
    else c.put("text", "");
    c.putNull("logprobs");
    c.put("finish_reason", f.reason());
    return out;
  }

  /** stream_options.include_usage: a last chunk with no choices and the usage. */
  ObjectNode usage(Job.Finish f) {
    ObjectNode out = head(chat ? "chat.completion.chunk" : "text_completion");
    out.putArray("choices");
    out.set("usage", usageNode(f));
    return out;
  }

  private ObjectNode head(String object) {
    return ModelServer.JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
        .put("model", model).put("system_fingerprint", "rlhf4j-" + version);
  }

  private static ObjectNode usageNode(Job.Finish f) {
    return ModelServer.JSON.createObjectNode().put("prompt_tokens", f.promptTokens())
        .put("completion_tokens", f.completionTokens()).put("total_tokens", f.promptTokens() + f.completionTokens());
  }

  private static ObjectNode chatLogprobs(List<Job.TokenInfo> tokens) {
    ObjectNode lp = ModelServer.JSON.createObjectNode();
    ArrayNode content = lp.putArray("content");
    for (Job.TokenInfo t : tokens) {
      ObjectNode e = content.addObject().put("token", t.token()).put("logprob", t.logprob());
      bytes(e, t.token());
      ArrayNode top = e.putArray("top_logprobs");
      for (int i = 0; i < t.topTokens().size(); i++) {
        bytes(top.addObject().put("token", t.topTokens().get(i)).put("logprob", t.topLogprobs()[i]), t.topTokens().get(i));
      }
    }
    lp.putNull("refusal");
    return lp;
  }

  private static ObjectNode textLogprobs(List<Job.TokenInfo> tokens) {
    ObjectNode lp = ModelServer.JSON.createObjectNode();
    ArrayNode toks = lp.putArray("tokens"), lps = lp.putArray("token_logprobs"), tops = lp.putArray("top_logprobs"),
        offsets = lp.putArray("text_offset");
    int offset = 0;
    for (Job.TokenInfo t : tokens) {
      toks.add(t.token());
      lps.add(t.logprob());
      ObjectNode top = tops.addObject();
      for (int i = 0; i < t.topTokens().size(); i++) top.put(t.topTokens().get(i), t.topLogprobs()[i]);
      offsets.add(offset);
      offset += t.token().length();
    }
    return lp;
  }

  private static void bytes(ObjectNode e, String token) {
    ArrayNode b = e.putArray("bytes");
    for (byte x : token.getBytes(StandardCharsets.UTF_8)) b.add(x & 0xff);
  }
}

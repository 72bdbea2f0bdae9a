package org.rlhf4j.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;

/** Content as JSON: a string for {@link Text}, an array of {@code {role, content}} messages for {@link Chat}. */
final class ContentJson {
  static final int MAX_CHARS = 100_000;

  private ContentJson() {}

  static JsonNode toJson(Content content) {
    if (content instanceof Text t) return Body.JSON.getNodeFactory().textNode(t.text());
    ArrayNode a = Body.JSON.createArrayNode();
    for (Message m : ((Chat) content).messages()) {
      ObjectNode o = a.addObject();
      o.put("role", m.role());
      o.put("content", m.content());
    }
    return a;
  }

  static Content fromJson(JsonNode node, String field) {
    if (node == null || node.isNull()) throw new BadRequestResponse("field '" + field + "' is required");
    if (node.isTextual()) {
      if (node.asText().length() > MAX_CHARS) throw new BadRequestResponse("field '" + field + "' is longer than " + MAX_CHARS + " characters");
      return new Text(checkText(node.asText(), field));
    }
    if (!node.isArray()) throw new BadRequestResponse("field '" + field + "' must be a string or an array of {role, content} messages");
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : node) {
      if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
        throw new BadRequestResponse("field '" + field + "' must contain only {role, content} messages with string values");
      }
      try {
        messages.add(new Message(checkText(m.get("role").asText(), field), checkText(m.get("content").asText(), field)));
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse("field '" + field + "': " + e.getMessage());
      }
    }
    if (messages.isEmpty()) throw new BadRequestResponse("field '" + field + "' must not be an empty conversation");
    return new Chat(messages);
  }

  static String write(Content content) { return toJson(content).toString(); }

  /**
   * The text, when a database can store it: no NUL character (PostgreSQL rejects it) and no unpaired surrogate
   * (it would be stored as '?'); else 400 naming the field.
   */
  static String checkText(String s, String field) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\0') throw new BadRequestResponse("field '" + field + "' must not contain the NUL character (U+0000)");
      if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(ch)) throw new BadRequestResponse("field '" + field + "' contains an unpaired surrogate (\\u" + Integer.toHexString(ch) + "), not valid Unicode");
    }
    return s;
  }

  /** Checks every text of {@code content} with {@link #checkText}. */
  static Content check(Content content, String field) {
    if (content instanceof Text t) checkText(t.text(), field);
    else for (Message m : ((Chat) content).messages()) {
      checkText(m.role(), field);
      checkText(m.content(), field);
    }
    return content;
  }

  static Content read(String json) {
    try {
      return fromJson(Body.JSON.readTree(json), "stored content");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt stored content: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return Body.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt stored JSON: " + e.getMessage(), e);
    }
  }
}

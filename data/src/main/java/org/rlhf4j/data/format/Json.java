package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;

/**
 * Field access and the JSON form of {@link Content}: a string is {@link Text}; a list of messages
 * (OpenAI/TRL {@code {"role","content"}} or ShareGPT {@code {"from","value"}}) is a {@link Chat}.
 * Problems throw {@link IllegalArgumentException} naming the field; the caller adds file and line.
 */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static JsonNode field(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + name + "'");
    return v;
  }

  static String string(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    if (!v.isTextual()) throw new IllegalArgumentException("field '" + name + "' must be a string but is " + kind(v));
    return v.textValue();
  }

  static boolean bool(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    if (!v.isBoolean()) throw new IllegalArgumentException("field '" + name + "' must be true or false but is " + kind(v));
    return v.booleanValue();
  }

  static boolean has(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v != null && !v.isNull();
  }

  /** A string as Text, a message list (or one message object) as Chat. */
  static Content content(JsonNode obj, String name) {
    return contentOf(field(obj, name), name);
  }

  /** A string node as Text, a message list (or one message object) as Chat. */
  static Content contentOf(JsonNode v, String name) {
    if (v == null || v.isNull()) throw new IllegalArgumentException("field '" + name + "' is null");
    if (v.isTextual()) return new Text(v.textValue());
    if (v.isArray() || v.isObject()) return new Chat(messages(v, name));
    throw new IllegalArgumentException("field '" + name + "' must be a string or a list of messages but is " + kind(v));
  }

  /** Messages from an array of message objects, or a single message object. */
  static List<Message> messages(JsonNode v, String name) {
    List<Message> out = new ArrayList<>();
    if (v.isObject()) {
      out.add(message(v, name));
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) out.add(message(v.get(i), name + "[" + i + "]"));
    } else {
      throw new IllegalArgumentException("field '" + name + "' must be a list of messages but is " + kind(v));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("field '" + name + "' has no messages");
    return out;
  }

  static Message message(JsonNode m, String where) {
    if (m == null || !m.isObject()) throw new IllegalArgumentException(where + " must be a message object");
    boolean shareGpt = !m.has("role") && m.has("from");
    String roleKey = shareGpt ? "from" : "role";
    String textKey = shareGpt ? "value" : "content";
    try {
      return new Message(role(string(m, roleKey)), string(m, textKey));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** Normalises role names: human/user, gpt/assistant/model, system. */
  static String role(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "user", "human" -> Message.USER;
      case "assistant", "gpt", "model" -> Message.ASSISTANT;
      case "system" -> Message.SYSTEM;
      default -> throw new IllegalArgumentException("unsupported role '" + raw + "' (expected system, user/human or assistant/gpt)");
    };
  }

  /** The TRL JSON form: a string for Text, a list of {"role","content"} objects for Chat. */
  static JsonNode toJson(Content c) {
    if (c instanceof Text t) return NODES.textNode(t.text());
    ArrayNode arr = NODES.arrayNode();
    for (Message m : ((Chat) c).messages()) arr.add(NODES.objectNode().put("role", m.role()).put("content", m.content()));
    return arr;
  }

  static ObjectNode object() { return NODES.objectNode(); }

  private static String kind(JsonNode v) { return v.getNodeType().toString().toLowerCase(Locale.ROOT); }
}

package org.rlhf4j.data;

import java.util.Set;

/** One turn of a conversation. {@code role} is one of {@code system}, {@code user}, {@code assistant}. */
public record Message(String role, String content) {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  private static final Set<String> ROLES = Set.of(SYSTEM, USER, ASSISTANT);

  public Message {
    if (role == null || !ROLES.contains(role)) {
      throw new IllegalArgumentException("Message.role must be one of system, user, assistant but was " + quote(role));
    }
    if (content == null) throw new IllegalArgumentException("Message.content must not be null (role " + role + ")");
  }

  public static Message system(String content) { return new Message(SYSTEM, content); }
  public static Message user(String content) { return new Message(USER, content); }
  public static Message assistant(String content) { return new Message(ASSISTANT, content); }

  private static String quote(String s) { return s == null ? "null" : "'" + s + "'"; }
}

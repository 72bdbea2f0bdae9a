package org.rlhf4j.data;

/**
 * A piece of text a model reads or writes: either plain {@link Text}, or a {@link Chat}
 * (a conversation that a model's chat template renders).
 */
public sealed interface Content permits Text, Chat {

  /** Plain text content. */
  static Content text(String text) { return new Text(text); }

  /** A conversation of the given messages (at least one). */
  static Content chat(Message... messages) { return new Chat(java.util.List.of(messages)); }

  /** Text for display and logs: the text itself, or the messages as {@code role: content} lines. */
  String display();
}

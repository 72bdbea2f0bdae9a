package org.rlhf4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A conversation: an immutable, non-empty list of messages, oldest first. */
public record Chat(List<Message> messages) implements Content {
  public Chat {
    if (messages == null) throw new IllegalArgumentException("Chat.messages must not be null");
    if (messages.stream().anyMatch(java.util.Objects::isNull)) throw new IllegalArgumentException("Chat.messages must not contain null");
    if (messages.isEmpty()) throw new IllegalArgumentException("Chat.messages must not be empty");
    messages = List.copyOf(messages);
  }

  public static Chat of(Message... messages) { return new Chat(List.of(messages)); }

  /** This conversation followed by {@code more} (e.g. a prompt chat plus a completion chat). */
  public Chat concat(Chat more) {
    List<Message> all = new ArrayList<>(messages);
    all.addAll(more.messages);
    return new Chat(all);
  }

  /** The last message. */
  public Message last() { return messages.get(messages.size() - 1); }

  @Override public String display() {
    return messages.stream().map(m -> m.role() + ": " + m.content()).collect(Collectors.joining("\n"));
  }
}

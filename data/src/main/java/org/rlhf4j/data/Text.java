package org.rlhf4j.data;

/** Plain text (may be empty, e.g. an empty prompt; never null). */
public record Text(String text) implements Content {
  public Text {
    if (text == null) throw new IllegalArgumentException("Text.text must not be null");
  }

  @Override public String display() { return text; }
}

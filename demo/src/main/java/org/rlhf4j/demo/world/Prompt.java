package org.rlhf4j.demo.world;

import java.util.Objects;

/**
 * A user prompt of the world. {@code id} is derived from the text (same text, same id), so it identifies the
 * question, not one occurrence of it.
 */
public record Prompt(String id, Family family, String text) {
  public Prompt {
    Objects.requireNonNull(id, "Prompt.id");
    Objects.requireNonNull(family, "Prompt.family");
    Objects.requireNonNull(text, "Prompt.text");
    if (text.isBlank()) throw new IllegalArgumentException("Prompt.text must not be blank");
  }
}

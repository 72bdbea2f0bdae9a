package org.rlhf4j.data;

/** A single response labelled desirable or undesirable (KTO-style, no paired alternative). */
public record UnpairedExample(Content prompt, Content completion, boolean desirable) {
  public UnpairedExample {
    Checks.notNull(prompt, "UnpairedExample.prompt");
    Checks.notNull(completion, "UnpairedExample.completion");
  }
}

package org.rlhf4j.data;

/** A supervised fine-tuning example: a prompt and the completion to learn. */
public record PromptCompletion(Content prompt, Content completion) {
  public PromptCompletion {
    Checks.notNull(prompt, "PromptCompletion.prompt");
    Checks.notNull(completion, "PromptCompletion.completion");
  }
}

package org.rlhf4j.models.tokenizer;

/** A chat template called {@code raise_exception(...)} or failed to render. */
public final class ChatTemplateException extends RuntimeException {
  public ChatTemplateException(String message) { super(message); }
}

package org.rlhf4j.aifeedback.judge;

/** A judge could not answer: a malformed reply, a server that kept failing, a template the tokenizer cannot split. */
public final class JudgeException extends RuntimeException {
  public JudgeException(String message) { super(message); }

  public JudgeException(String message, Throwable cause) { super(message, cause); }
}

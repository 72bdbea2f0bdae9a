package org.rlhf4j.training.batch;

/** What to do with an example longer than the maximum length. */
public enum Overflow {
  /**
   * Cut the prompt from the left (keeping its end, next to the completion); when the completion
   * alone is too long, the prompt is emptied and the completion cut on the right.
   */
  TRUNCATE_PROMPT_LEFT,
  /** Leave the example out. */
  DROP
}

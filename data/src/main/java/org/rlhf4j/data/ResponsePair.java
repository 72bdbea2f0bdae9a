package org.rlhf4j.data;

/**
 * Two responses to one prompt, not yet labelled (the input of AI feedback: a judge decides which is better).
 * Response A and B are in the order the file gives them; neither is preferred.
 */
public record ResponsePair(Content prompt, Content responseA, Content responseB) {
  public ResponsePair {
    Checks.notNull(prompt, "ResponsePair.prompt");
    Checks.notNull(responseA, "ResponsePair.responseA");
    Checks.notNull(responseB, "ResponsePair.responseB");
  }
}

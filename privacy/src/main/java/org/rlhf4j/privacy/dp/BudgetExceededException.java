package org.rlhf4j.privacy.dp;

/** A query refused because it would take a dataset past its privacy budget; nothing was released or charged. */
public final class BudgetExceededException extends RuntimeException {
  public BudgetExceededException(String message) { super(message); }
}

package org.rlhf4j.privacy.pii;

/** A record refused by a {@code REJECT} policy; the message names where and which types, never the values. */
public final class PiiRejectedException extends RuntimeException {
  public PiiRejectedException(String message) { super(message); }
}

package org.rlhf4j.data;

/** Argument checks shared by the records of this package. */
final class Checks {
  private Checks() {}

  static void notNull(Object value, String field) {
    if (value == null) throw new IllegalArgumentException(field + " must not be null");
  }
}

package org.rlhf4j.data.label;

/** Field checks shared by the label records. */
final class Validate {
  private Validate() {}

  static void id(String value, String field) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " must not be null or blank");
  }

  static void notNull(Object value, String field) {
    if (value == null) throw new IllegalArgumentException(field + " must not be null");
  }
}

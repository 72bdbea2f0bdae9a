package org.rlhf4j.evaluation.report;

/** Argument checks shared by the report records. */
final class Checks {
  private Checks() {}

  static String text(String name, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    return value;
  }

  static void size(int width, int height) {
    if (width < 100 || width > 4000 || height < 100 || height > 4000) {
      throw new IllegalArgumentException("chart size must be within 100..4000 pixels, got " + width + "x" + height);
    }
  }
}

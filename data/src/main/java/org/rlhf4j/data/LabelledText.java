package org.rlhf4j.data;

/** A text with a binary class label (1 = the positive class, e.g. positive sentiment; 0 = the other). */
public record LabelledText(String text, int label) {
  public LabelledText {
    Checks.notNull(text, "LabelledText.text");
    if (label != 0 && label != 1) throw new IllegalArgumentException("LabelledText.label must be 0 or 1, got " + label);
  }
}

package org.rlhf4j.privacy.pii;

/**
 * One piece of personal data found in a text: its type, its character span {@code [start, end)} and the
 * recogniser's confidence in [0, 1] (checksummed or structurally validated matches score higher than
 * bare patterns; overlapping findings are resolved by it).
 */
public record Finding(PiiType type, int start, int end, double confidence, String recognizer) {
  public Finding {
    if (type == null) throw new IllegalArgumentException("Finding.type must not be null");
    if (start < 0 || end <= start) throw new IllegalArgumentException("Finding span must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
    if (!(confidence >= 0 && confidence <= 1)) throw new IllegalArgumentException("Finding.confidence must be in [0, 1], got " + confidence);
    if (recognizer == null) throw new IllegalArgumentException("Finding.recognizer must not be null");
  }

  public int length() { return end - start; }

  /** True when the two spans share at least one character. */
  public boolean overlaps(Finding o) { return start < o.end && o.start < end; }

  /** The matched text. */
  public String in(String text) { return text.substring(start, end); }
}

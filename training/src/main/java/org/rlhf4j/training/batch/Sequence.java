package org.rlhf4j.training.batch;

import java.util.Arrays;

/** A tokenized prompt and completion (the completion already ends with EOS when the encoder added it). */
public record Sequence(int[] prompt, int[] completion) {
  public Sequence {
    if (prompt == null || completion == null) throw new IllegalArgumentException("Sequence: prompt and completion are required");
    if (prompt.length + completion.length == 0) throw new IllegalArgumentException("Sequence: no tokens at all");
  }

  public int length() { return prompt.length + completion.length; }

  /** prompt ++ completion, with loss on the completion only. */
  public Row toRow() {
    int[] ids = new int[length()];
    int[] mask = new int[length()];
    System.arraycopy(prompt, 0, ids, 0, prompt.length);
    System.arraycopy(completion, 0, ids, prompt.length, completion.length);
    Arrays.fill(mask, prompt.length, ids.length, 1);
    return new Row(ids, mask);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Sequence s && Arrays.equals(prompt, s.prompt) && Arrays.equals(completion, s.completion);
  }

  @Override public int hashCode() { return 31 * Arrays.hashCode(prompt) + Arrays.hashCode(completion); }

  @Override public String toString() { return "Sequence" + Arrays.toString(prompt) + " + " + Arrays.toString(completion); }
}

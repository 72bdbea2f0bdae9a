package org.rlhf4j.training.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits tokenized examples into {@code maxLength} tokens by the stated {@link Overflow} policy and
 * counts what it did, so the trainers can log it.
 */
public record LengthPolicy(int maxLength, Overflow overflow) {
  public LengthPolicy {
    if (maxLength < 2) throw new IllegalArgumentException("LengthPolicy: maxLength must be >= 2, got " + maxLength);
    if (overflow == null) throw new IllegalArgumentException("LengthPolicy: overflow is required (TRUNCATE_PROMPT_LEFT or DROP)");
  }

  /**
   * The examples that fit (in order) and the counts of what was changed.
   *
   * @param promptTruncated     examples whose prompt was cut from the left
   * @param completionTruncated examples whose completion was also cut (its EOS lost)
   * @param dropped             examples left out (policy DROP)
   */
  public record Fitted(List<Sequence> kept, int promptTruncated, int completionTruncated, int dropped) {
    /** One line for the log, or "" when every example fitted. */
    public String summary(String what, int maxLength) {
      if (promptTruncated + dropped == 0) return "";
      return dropped > 0
          ? String.format("%s: dropped %d of %d examples longer than %d tokens", what, dropped, kept.size() + dropped, maxLength)
          : String.format("%s: %d of %d examples longer than %d tokens had their prompt truncated from the left"
              + " (%d also lost the end of the completion)", what, promptTruncated, kept.size(), maxLength, completionTruncated);
    }
  }

  public Fitted fit(List<Sequence> examples) {
    List<Sequence> kept = new ArrayList<>(examples.size());
    int promptCut = 0, completionCut = 0, dropped = 0;
    for (Sequence s : examples) {
      if (s.length() <= maxLength) {
        kept.add(s);
      } else if (overflow == Overflow.DROP) {
        dropped++;
      } else {
        promptCut++;
        if (s.completion().length >= maxLength) completionCut++;
        kept.add(truncate(s));
      }
    }
    return new Fitted(List.copyOf(kept), promptCut, completionCut, dropped);
  }

  /** Keeps the end of the prompt and the whole completion, or only the start of an over-long completion. */
  Sequence truncate(Sequence s) {
    int[] p = s.prompt(), c = s.completion();
    if (c.length >= maxLength) return new Sequence(new int[0], Arrays.copyOf(c, maxLength));
    int keep = maxLength - c.length;
    return new Sequence(Arrays.copyOfRange(p, p.length - keep, p.length), c);
  }
}

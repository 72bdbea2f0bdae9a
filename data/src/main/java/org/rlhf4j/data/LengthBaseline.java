package org.rlhf4j.data;

import java.util.List;

/**
 * The trivial "shorter answer wins" judge of preference data: the fraction of pairs whose preferred side is the
 * shorter response (in characters; equal lengths count one half; pairs at probability exactly 0.5 are skipped).
 * A reward model has learned something beyond length only when it beats this on the same pairs (on HH-RLHF harmless
 * it is about 0.57).
 */
public final class LengthBaseline {
  private LengthBaseline() {}

  public record Result(double accuracy, int n) {}

  public static Result shorterWins(List<PreferencePair> pairs) {
    double right = 0;
    int n = 0;
    for (PreferencePair p : pairs) {
      if (p.chosenProbability() == 0.5) continue;
      int c = length(p.chosen()), r = length(p.rejected());
      boolean chosenPreferred = p.chosenProbability() > 0.5;
      n++;
      if (c == r) right += 0.5;
      else if ((c < r) == chosenPreferred) right += 1;
    }
    return new Result(n == 0 ? Double.NaN : right / n, n);
  }

  static int length(Content c) {
    if (c instanceof Text t) return t.text().length();
    return ((Chat) c).messages().stream().mapToInt(m -> m.content().length()).sum();
  }
}

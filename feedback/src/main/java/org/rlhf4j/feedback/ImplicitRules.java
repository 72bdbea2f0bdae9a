package org.rlhf4j.feedback;

import java.util.ArrayList;
import java.util.List;

/**
 * How interaction events on a served response become a weak label (documented in feedback/README.md,
 * "Implicit feedback"). Each event votes:
 * <ul>
 *   <li>{@code regenerate} within {@code regenerateWithinSeconds} of the response: -1 (later: no vote)</li>
 *   <li>{@code copy}: +1</li>
 *   <li>{@code dwell} of at least {@code dwellPositiveSeconds}: +1; of at most {@code dwellNegativeSeconds}: -1</li>
 *   <li>{@code continued} (the conversation went on): +1; {@code abandoned}: -1</li>
 *   <li>{@code correction}: -1 when its normalised edit distance to the response (Levenshtein / longer length)
 *       exceeds {@code correctionNegativeAbove}, else +1 (a light touch-up); the corrected text itself is a
 *       desirable example when {@code correctionIsDesirable}</li>
 * </ul>
 * The response is desirable when the votes sum above 0, undesirable below 0, and unlabelled at 0; its source
 * names the events that voted its way ({@code implicit:regenerate+abandoned}).
 */
public record ImplicitRules(double regenerateWithinSeconds, double dwellPositiveSeconds, double dwellNegativeSeconds,
    double correctionNegativeAbove, boolean correctionIsDesirable) {
  /** Characters of each text the edit distance looks at (the distance is quadratic in them). */
  static final int EDIT_DISTANCE_CHARS = 4000;

  public ImplicitRules {
    if (!(regenerateWithinSeconds >= 0)) throw new IllegalArgumentException("ImplicitRules.regenerateWithinSeconds must be >= 0");
    if (!(dwellNegativeSeconds >= 0 && dwellPositiveSeconds > dwellNegativeSeconds)) {
      throw new IllegalArgumentException("ImplicitRules: need 0 <= dwellNegativeSeconds < dwellPositiveSeconds, got "
          + dwellNegativeSeconds + " and " + dwellPositiveSeconds);
    }
    if (!(correctionNegativeAbove >= 0 && correctionNegativeAbove <= 1)) {
      throw new IllegalArgumentException("ImplicitRules.correctionNegativeAbove must be in [0, 1], got " + correctionNegativeAbove);
    }
  }

  /** Regenerated within 30 s = negative; dwell >= 20 s positive, <= 2 s negative; corrections editing > 30% negative. */
  public static ImplicitRules defaults() { return new ImplicitRules(30, 20, 2, 0.3, true); }

  /** One stored event: its kind, seconds (regenerate: after the response; dwell: time on it), edit distance. */
  record Event(String kind, Double seconds, Double editDistance) {}

  /** A response's weak label: +1 desirable, -1 undesirable, 0 none, and the kinds that voted its way. */
  record Label(int sign, String source) {}

  /** The vote of one event: +1, -1 or 0. */
  int vote(Event e) {
    return switch (e.kind()) {
      case "regenerate" -> e.seconds() == null || e.seconds() <= regenerateWithinSeconds ? -1 : 0;
      case "copy", "continued" -> 1;
      case "abandoned" -> -1;
      case "dwell" -> e.seconds() >= dwellPositiveSeconds ? 1 : e.seconds() <= dwellNegativeSeconds ? -1 : 0;
      case "correction" -> e.editDistance() > correctionNegativeAbove ? -1 : 1;
      default -> throw new IllegalArgumentException("unknown event kind '" + e.kind() + "'");
    };
  }

  /** The label of a response with {@code events}. */
  Label label(List<Event> events) {
    int sum = 0;
    for (Event e : events) sum += vote(e);
    int sign = Integer.signum(sum);
    if (sign == 0) return new Label(0, null);
    List<String> kinds = new ArrayList<>();
    for (Event e : events) if (vote(e) == sign && !kinds.contains(e.kind())) kinds.add(e.kind());
    return new Label(sign, "implicit:" + String.join("+", kinds));
  }

  /** Levenshtein distance over code points of the first {@value #EDIT_DISTANCE_CHARS} characters, / the longer length. */
  static double normalisedEditDistance(String a, String b) {
    int[] x = a.substring(0, Math.min(a.length(), EDIT_DISTANCE_CHARS)).codePoints().toArray();
    int[] y = b.substring(0, Math.min(b.length(), EDIT_DISTANCE_CHARS)).codePoints().toArray();
    int longer = Math.max(x.length, y.length);
    if (longer == 0) return 0;
    int[] prev = new int[y.length + 1], cur = new int[y.length + 1];
    for (int j = 0; j <= y.length; j++) prev[j] = j;
    for (int i = 1; i <= x.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= y.length; j++) {
        int sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return (double) prev[y.length] / longer;
  }
}

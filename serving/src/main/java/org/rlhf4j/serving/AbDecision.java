package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Promote, roll back or keep collecting: an A/B test of a candidate version against the current one on their
 * users' desirable-feedback rates (thumbs up and positive implicit signals over labelled responses), by
 * {@link AbSplit#compare}'s two-proportion z-test at level {@code alpha}, once each arm has {@code minLabelled}
 * labelled responses.
 */
public record AbDecision(Verdict verdict, AbSplit.Comparison comparison, String reason) {
  public enum Verdict { PROMOTE, ROLL_BACK, KEEP_COLLECTING }

  public AbDecision {
    if (verdict == null || reason == null) throw new IllegalArgumentException("AbDecision: verdict and reason are required");
  }

  public static AbDecision of(long upCurrent, long labelledCurrent, long upCandidate, long labelledCandidate, double alpha, long minLabelled) {
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    if (minLabelled < 1) throw new IllegalArgumentException("minLabelled must be at least 1, got " + minLabelled);
    if (labelledCurrent < minLabelled || labelledCandidate < minLabelled) {
      return new AbDecision(Verdict.KEEP_COLLECTING, null, String.format(Locale.ROOT,
          "too little feedback yet: %d labelled responses for current, %d for candidate (need %d each)", labelledCurrent,
          labelledCandidate, minLabelled));
    }
    AbSplit.Comparison c = AbSplit.compare(upCurrent, labelledCurrent, upCandidate, labelledCandidate);
    String rates = String.format(Locale.ROOT, "desirable rate %.3f (current, n=%d) vs %.3f (candidate, n=%d), z = %.2f, p = %.4f",
        c.rateA(), labelledCurrent, c.rateB(), labelledCandidate, c.z(), c.pValue());
    if (!c.significant(alpha)) return new AbDecision(Verdict.KEEP_COLLECTING, c, rates + ": not significant at " + alpha);
    return c.difference() > 0 ? new AbDecision(Verdict.PROMOTE, c, rates + ": the candidate is better")
        : new AbDecision(Verdict.ROLL_BACK, c, rates + ": the candidate is worse");
  }

  /**
   * Desirable and undesirable responses of {@code version} in the feedback service's
   * {@code GET /api/production/versions} answer ({@code versions} array), summed over the model names it was served under.
   */
  public static long[] counts(JsonNode versions, String version) {
    long[] n = new long[2];
    for (JsonNode v : versions) {
      if (!version.equals(v.path("modelVersion").asText(null))) continue;
      n[0] += v.path("desirable").asLong();
      n[1] += v.path("undesirable").asLong();
    }
    return n;
  }
}

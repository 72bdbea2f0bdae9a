package org.rlhf4j.aifeedback.judge;

/**
 * A judge's answer to one {@link Comparison}: the probability that response A is the better one, the judge's
 * rationale when it gave one (chain of thought; null otherwise), and {@code optionMass}, the share of the judge's
 * next-token distribution that fell on the two answer options (NaN when the judge does not measure it; a low mass
 * means the judge mostly wanted to say something else, and its probability is then worth little).
 */
public record Verdict(double probabilityA, String rationale, double optionMass) {
  public Verdict {
    if (!(probabilityA >= 0 && probabilityA <= 1)) {
      throw new IllegalArgumentException("Verdict.probabilityA must be in [0, 1] but was " + probabilityA);
    }
    if (!Double.isNaN(optionMass) && !(optionMass >= 0 && optionMass <= 1 + 1e-6)) {
      throw new IllegalArgumentException("Verdict.optionMass must be in [0, 1] or NaN but was " + optionMass);
    }
  }

  public static Verdict of(double probabilityA) { return new Verdict(probabilityA, null, Double.NaN); }

  public boolean hasRationale() { return rationale != null && !rationale.isEmpty(); }

  /** The verdict as seen from response B's side. */
  public Verdict swapped() { return new Verdict(1 - probabilityA, rationale, optionMass); }
}

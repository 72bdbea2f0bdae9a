package org.rlhf4j.aifeedback.judge;

/**
 * How {@link BothOrders} combines P(A) asked first and P(A) asked second. PROBABILITY (the RLAIF paper's choice)
 * removes a bias that adds to the probability of whichever response comes first; LOG_ODDS removes one that adds
 * to its log-odds (the form a bias in the logits of the option tokens takes).
 */
public enum Averaging {
  PROBABILITY {
    @Override double combine(double firstOrder, double secondOrder) { return (firstOrder + secondOrder) / 2; }
  },
  LOG_ODDS {
    @Override double combine(double firstOrder, double secondOrder) {
      return sigmoid((logit(firstOrder) + logit(secondOrder)) / 2);
    }
  };

  /** Bounds probabilities away from 0 and 1 before taking log-odds (a judge may answer exactly 0 or 1). */
  private static final double EPS = 1e-12;

  /**
   * P(A better) from the two answers: {@code firstOrder} = P(A) when A was shown first, {@code secondOrder} =
   * P(A) when A was shown second (1 - the judge's P(first) for the swapped question).
   */
  abstract double combine(double firstOrder, double secondOrder);

  static double logit(double p) {
    double q = Math.min(1 - EPS, Math.max(EPS, p));
    return Math.log(q / (1 - q));
  }

  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}

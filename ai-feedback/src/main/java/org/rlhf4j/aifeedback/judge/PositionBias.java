package org.rlhf4j.aifeedback.judge;

import java.util.List;

/**
 * A judge's measured position bias over comparisons asked in both orders: {@code meanShift}, the mean probability
 * the first position gains ((P(first | A,B) + P(first | B,A) - 1) / 2: 0 for an unbiased judge, +0.1 for one that
 * adds 0.1 to whichever response comes first); {@code flipRate}, the share of comparisons whose preferred response
 * changed with the order; and {@code firstPreferredRate}, how often the first-shown response was preferred over
 * all 2n answers (0.5 for an unbiased judge).
 */
public record PositionBias(int n, double meanShift, double flipRate, double firstPreferredRate) {

  public static PositionBias of(List<BothOrders.Debiased> answers) {
    double[] first = new double[answers.size()], second = new double[answers.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = answers.get(i).firstOrder();
      second[i] = answers.get(i).secondOrder();
    }
    return ofOrders(first, second);
  }

  /** From P(A) asked with A first ({@code firstOrder}) and with A second ({@code secondOrder}), per comparison. */
  public static PositionBias ofOrders(double[] firstOrder, double[] secondOrder) {
    int n = firstOrder.length;
    if (n == 0) return new PositionBias(0, Double.NaN, Double.NaN, Double.NaN);
    double shift = 0, first = 0;
    int flips = 0;
    for (int i = 0; i < n; i++) {
      shift += (firstOrder[i] - secondOrder[i]) / 2;
      flips += Math.signum(firstOrder[i] - 0.5) != Math.signum(secondOrder[i] - 0.5) ? 1 : 0;
      first += preferred(firstOrder[i]) + preferred(1 - secondOrder[i]); // the swapped question's first is B
    }
    return new PositionBias(n, shift / n, flips / (double) n, first / (2.0 * n));
  }

  /** 1 when the first-shown response is preferred, 0 when the second is, 1/2 for a tie. */
  private static double preferred(double pFirst) { return pFirst > 0.5 ? 1 : pFirst < 0.5 ? 0 : 0.5; }

  /** Sums two measurements (e.g. batches of one run), weighting each by its n. */
  public PositionBias plus(PositionBias o) {
    if (n == 0) return o;
    if (o.n == 0) return this;
    int total = n + o.n;
    return new PositionBias(total, (meanShift * n + o.meanShift * o.n) / total, (flipRate * n + o.flipRate * o.n) / total,
        (firstPreferredRate * n + o.firstPreferredRate * o.n) / total);
  }
}

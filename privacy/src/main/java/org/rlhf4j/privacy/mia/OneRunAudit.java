package org.rlhf4j.privacy.mia;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * An empirical lower bound on ε from canaries in one training run (Steinke, Nasr &amp; Jagielski, "Privacy Auditing
 * with One (1) Training Run", NeurIPS 2023, Theorem 3 with its δ term; one-sided guesses, as Google's
 * {@code jax_privacy.auditing.epsilon_one_run}). The m canaries must each have been put into the training data by
 * an independent fair coin, before training; the attacker guesses "member" for the k canaries of lowest loss and is
 * right v times. If training was (ε, δ)-DP, P[v correct] ≤ P[Binomial(k, e^ε/(1 + e^ε)) ≥ v] + 2mδ·α (α the
 * theorem's δ coefficient), so every ε whose p-value falls below the significance is refuted. The guesses tried are
 * k = m, m/2, m/4, … 1 (as the paper's grid of k+; about log2 m tries), with a Bonferroni correction over them (the
 * significance divided by their number), so the bound holds at the stated confidence whichever k gives it. Trying
 * every k would divide the significance by m, below the δ term's floor 2mδ·α at δ = 1e-5 and m in the thousands,
 * and refute nothing. The bound is the largest refuted ε, 0 when none is.
 */
public final class OneRunAudit {
  /** The bound, the guesses that gave it ({@code guesses} = 0 when no ε was refuted), the canaries and the test's parameters. */
  public record Result(double epsilonLowerBound, int guesses, int correct, int canaries, double delta, double significance) {
    public Result {
      if (!(epsilonLowerBound >= 0)) throw new IllegalArgumentException("epsilonLowerBound must be >= 0, got " + epsilonLowerBound);
      if (correct < 0 || correct > guesses || guesses > canaries) {
        throw new IllegalArgumentException("need 0 <= correct <= guesses <= canaries, got " + correct + ", " + guesses + ", " + canaries);
      }
    }
  }

  private OneRunAudit() {}

  /**
   * The bound from the canaries' losses: {@code memberLosses} of the canaries the coin put into training,
   * {@code nonMemberLosses} of those it left out.
   */
  public static Result audit(double[] memberLosses, double[] nonMemberLosses, double delta, double significance) {
    if (memberLosses.length == 0 || nonMemberLosses.length == 0) throw new IllegalArgumentException("need member and non-member canaries");
    if (!(delta >= 0 && delta < 1)) throw new IllegalArgumentException("delta must be in [0, 1), got " + delta);
    if (!(significance > 0 && significance < 1)) throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
    int m = memberLosses.length + nonMemberLosses.length;
    double[][] all = new double[m][];
    for (int i = 0; i < memberLosses.length; i++) all[i] = new double[] {memberLosses[i], 1};
    for (int j = 0; j < nonMemberLosses.length; j++) all[memberLosses.length + j] = new double[] {nonMemberLosses[j], 0};
    Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
    int[] before = new int[m + 1]; // members among the k lowest losses
    for (int k = 1; k <= m; k++) before[k] = before[k - 1] + (int) all[k - 1][1];
    TreeSet<Integer> tries = new TreeSet<>();
    for (int k = m; k >= 1; k /= 2) {
      int cut = k;
      while (cut < m && all[cut][0] == all[cut - 1][0]) cut++; // ties: a threshold takes all equal losses or none
      tries.add(cut);
    }
    double perTry = significance / tries.size();
    double best = 0;
    int bestGuesses = 0, bestCorrect = 0;
    for (int k : tries) {
      double eps = largestRefuted(m, k, before[k], delta, perTry);
      if (eps > best) {
        best = eps;
        bestGuesses = k;
        bestCorrect = before[k];
      }
    }
    return new Result(best, bestGuesses, bestCorrect, m, delta, significance);
  }

  /** The largest ε whose p-value is at most {@code significance} (bisection to 1e-6), 0 when not even ε = 0 is refuted. */
  static double largestRefuted(int m, int guesses, int correct, double delta, double significance) {
    if (pValue(m, guesses, correct, 0, delta) > significance) return 0;
    double lo = 0, hi = 1;
    while (pValue(m, guesses, correct, hi, delta) <= significance) {
      lo = hi;
      hi *= 2;
      if (hi > 1e3) return lo; // every guess right with a tiny δ: refuted beyond any ε anyone claims
    }
    while (hi - lo > 1e-6) {
      double mid = 0.5 * (lo + hi);
      if (pValue(m, guesses, correct, mid, delta) <= significance) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The theorem's p-value for {@code correct} of {@code guesses} right under (ε, δ)-DP: β + 2mδ·α, with β = P[B ≥ v],
   * α = max over i = 1..v of (P[B ≥ v − i] − β) / i, B ~ Binomial(guesses, e^ε/(1 + e^ε)).
   */
  static double pValue(int m, int guesses, int correct, double eps, double delta) {
    double[] tail = upperTails(guesses, logistic(eps));
    double beta = tail[correct];
    if (delta == 0) return beta;
    double alpha = 0;
    for (int i = 1; i <= correct; i++) alpha = Math.max(alpha, (tail[correct - i] - beta) / i);
    return Math.min(1, beta + alpha * delta * 2 * m);
  }

  /** P[B ≥ v] for v = 0..n, B ~ Binomial(n, p), summed from the top in log space. */
  static double[] upperTails(int n, double p) {
    double[] tail = new double[n + 2];
    double logP = Math.log(p), logQ = Math.log1p(-p), logChoose = 0; // log C(n, n) = 0
    double running = 0;
    for (int v = n; v >= 0; v--) {
      if (v < n) logChoose += Math.log((v + 1) / (double) (n - v)); // C(n, v) = C(n, v + 1) (v + 1) / (n − v)
      double log = logChoose + (v == 0 ? 0 : v * logP) + (v == n ? 0 : (n - v) * logQ); // 0 · log 0 = 0 at p = 0 or 1
      running += Math.exp(log);
      tail[v] = Math.min(1, running);
    }
    return tail;
  }

  static double logistic(double x) { return 1 / (1 + Math.exp(-x)); }
}

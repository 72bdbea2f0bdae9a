package org.rlhf4j.privacy.mia;

import java.util.Arrays;

/**
 * The loss-threshold membership-inference attack (Yeom, Giacomelli, Fredrikson &amp; Jha, CSF 2018): guess "member"
 * when a record's loss under the model is at most a threshold. Scored over every threshold as ROC AUC (the
 * probability that a random member's loss is below a random non-member's, ties counting half: the Mann–Whitney
 * statistic) and as TPR at a low FPR (Carlini et al., "Membership Inference Attacks From First Principles", 2022:
 * the fraction of members caught when at most {@code fpr} of the non-members are accused).
 */
public final class LossThresholdAttack {
  /** AUC 0.5 is chance; TPR at 1% FPR near 0.01 is chance. */
  public record Result(double auc, double tprAtFpr, double fpr, int members, int nonMembers) {}

  private LossThresholdAttack() {}

  public static Result evaluate(double[] memberLosses, double[] nonMemberLosses, double fpr) {
    if (memberLosses.length == 0 || nonMemberLosses.length == 0) throw new IllegalArgumentException("need members and non-members");
    if (!(fpr > 0 && fpr < 1)) throw new IllegalArgumentException("fpr must be in (0, 1), got " + fpr);
    double[] m = memberLosses.clone();
    double[] n = nonMemberLosses.clone();
    Arrays.sort(m);
    Arrays.sort(n);
    // AUC: for each member, non-members with larger loss count 1, equal count 1/2.
    double wins = 0;
    for (double x : m) {
      int above = n.length - upper(n, x);
      int equal = upper(n, x) - lower(n, x);
      wins += above + 0.5 * equal;
    }
    double auc = wins / ((double) m.length * n.length);
    // The largest threshold accusing at most fpr of the non-members (losses <= t accused).
    int allowed = (int) Math.floor(fpr * n.length);
    double threshold = allowed == 0 ? Math.nextDown(n[0]) : n[allowed - 1];
    if (allowed > 0 && allowed < n.length && n[allowed] == threshold) threshold = Math.nextDown(threshold); // ties would exceed fpr
    double tpr = upper(m, threshold) / (double) m.length;
    return new Result(auc, tpr, fpr, m.length, n.length);
  }

  /** Index of the first element > x. */
  private static int upper(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first element >= x. */
  private static int lower(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

package org.rlhf4j.privacy.mia;

import java.util.Arrays;

/**
 * The loss-threshold membership-inference attack (Yeom, Giacomelli, Fredrikson &amp; Jha, CSF 2018): guess "member"
 * when a record's loss under the model is at most a threshold. Scored over every threshold as ROC AUC (the
 * probability that a random member's loss is below a random non-member's, ties counting half: the Mann–Whitney
 * statistic) and as TPR at a low FPR (Carlini et al., "Membership Inference Attacks From First Principles", 2022:
 * the fraction of members caught when at most {@code fpr} of the non-members are accused). The AUC's standard error is
 * DeLong, DeLong &amp; Clarke-Pearson's (Biometrics 1988): from each record's placement among the other side's
 * losses, without assuming a distribution.
 */
public final class LossThresholdAttack {
  /**
   * AUC 0.5 is chance; TPR at 1% FPR near 0.01 is chance. {@code aucStandardError} is NaN with fewer than two members
   * or non-members (a placement variance needs two).
   */
  public record Result(double auc, double tprAtFpr, double fpr, int members, int nonMembers, double aucStandardError) {
    public Result {
      if (!(auc >= 0 && auc <= 1)) throw new IllegalArgumentException("auc must be in [0, 1], got " + auc);
      if (members < 1 || nonMembers < 1) throw new IllegalArgumentException("members and nonMembers must be >= 1, got " + members + ", " + nonMembers);
    }
  }

  private LossThresholdAttack() {}

  public static Result evaluate(double[] memberLosses, double[] nonMemberLosses, double fpr) {
    if (memberLosses.length == 0 || nonMemberLosses.length == 0) throw new IllegalArgumentException("need members and non-members");
    if (!(fpr > 0 && fpr < 1)) throw new IllegalArgumentException("fpr must be in (0, 1), got " + fpr);
    double[] m = memberLosses.clone();
    double[] n = nonMemberLosses.clone();
    Arrays.sort(m);
    Arrays.sort(n);
    // AUC: for each member, non-members with larger loss count 1, equal count 1/2 (the member's placement).
    double[] memberPlacement = new double[m.length];
    for (int i = 0; i < m.length; i++) memberPlacement[i] = (n.length - upper(n, m[i]) + 0.5 * (upper(n, m[i]) - lower(n, m[i]))) / n.length;
    double[] nonMemberPlacement = new double[n.length];
    for (int j = 0; j < n.length; j++) nonMemberPlacement[j] = (lower(m, n[j]) + 0.5 * (upper(m, n[j]) - lower(m, n[j]))) / m.length;
    double auc = mean(memberPlacement);
    double se = m.length < 2 || n.length < 2 ? Double.NaN
        : Math.sqrt(variance(memberPlacement) / m.length + variance(nonMemberPlacement) / n.length);
    // The largest threshold accusing at most fpr of the non-members (losses <= t accused).
    int allowed = (int) Math.floor(fpr * n.length);
    double threshold = allowed == 0 ? Math.nextDown(n[0]) : n[allowed - 1];
    if (allowed > 0 && allowed < n.length && n[allowed] == threshold) threshold = Math.nextDown(threshold); // ties would exceed fpr
    double tpr = upper(m, threshold) / (double) m.length;
    return new Result(Math.min(1, Math.max(0, auc)), tpr, fpr, m.length, n.length, se);
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double x : a) s += x;
    return s / a.length;
  }

  /** The sample variance (n − 1 in the denominator). */
  private static double variance(double[] a) {
    double mu = mean(a), s = 0;
    for (double x : a) s += (x - mu) * (x - mu);
    return s / (a.length - 1);
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

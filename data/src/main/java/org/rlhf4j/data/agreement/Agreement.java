package org.rlhf4j.data.agreement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Inter-rater agreement statistics over a {@link Ratings} table.
 *
 * <p>Degenerate cases, handled the same way everywhere: when there is nothing to compare (no unit
 * with two or more ratings, or two raters with no unit in common) the method throws
 * {@link IllegalArgumentException} saying so. When the data has no variation at all (every rating
 * the same category, so the expected disagreement is zero and the chance-corrected statistic would
 * be 0/0) the statistic is defined as 1.0 (perfect agreement) rather than NaN.
 */
public final class Agreement {
  private static final double EPS = 1e-12;

  private Agreement() {}

  /**
   * Mean pairwise percent agreement: for each unit with at least 2 ratings, the fraction of its rater
   * pairs that gave equal values; then the unweighted mean over those units.
   */
  public static double rawAgreement(Ratings<?> r) {
    double sum = 0;
    int units = 0;
    for (String unit : r.units()) {
      List<?> values = new ArrayList<>(r.ratingsOf(unit).values());
      int m = values.size();
      if (m < 2) continue;
      int agree = 0;
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) if (Objects.equals(values.get(i), values.get(j))) agree++;
      }
      sum += agree / (m * (m - 1) / 2.0);
      units++;
    }
    if (units == 0) throw new IllegalArgumentException("raw agreement needs a unit with at least 2 ratings; " + r);
    return sum / units;
  }

  /**
   * Cohen's kappa between two raters over the units both rated (nominal categories, compared with
   * {@code equals}): (p_o - p_e) / (1 - p_e). 1.0 when both raters used one and the same category throughout.
   */
  public static double cohenKappa(Ratings<?> r, String raterA, String raterB) {
    Map<Object, Integer> countA = new LinkedHashMap<>(); // first-seen order: sums in the same order in every JVM
    Map<Object, Integer> countB = new LinkedHashMap<>();
    int n = 0;
    int agree = 0;
    for (String unit : r.units()) {
      Map<String, ?> row = r.ratingsOf(unit);
      Object a = row.get(raterA);
      Object b = row.get(raterB);
      if (a == null || b == null) continue;
      n++;
      if (a.equals(b)) agree++;
      countA.merge(a, 1, Integer::sum);
      countB.merge(b, 1, Integer::sum);
    }
    if (n == 0) {
      throw new IllegalArgumentException("raters '" + raterA + "' and '" + raterB + "' have no unit in common");
    }
    double po = (double) agree / n;
    double pe = 0;
    for (Map.Entry<Object, Integer> e : countA.entrySet()) {
      pe += ((double) e.getValue() / n) * ((double) countB.getOrDefault(e.getKey(), 0) / n);
    }
    return chanceCorrected(po, pe);
  }

  /**
   * Light's kappa: the mean of Cohen's kappa over every pair of raters who share at least one unit.
   */
  public static double meanPairwiseCohenKappa(Ratings<?> r) {
    List<String> raters = new ArrayList<>(r.raters());
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < raters.size(); i++) {
      for (int j = i + 1; j < raters.size(); j++) {
        if (!shareUnit(r, raters.get(i), raters.get(j))) continue;
        sum += cohenKappa(r, raters.get(i), raters.get(j));
        pairs++;
      }
    }
    if (pairs == 0) throw new IllegalArgumentException("no two raters share a unit; " + r);
    return sum / pairs;
  }

  /**
   * Fleiss' kappa (nominal). Units with fewer than 2 ratings are dropped. Unequal numbers of ratings per
   * unit are allowed: each unit's agreement is P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)), P-bar is
   * their unweighted mean, and the category proportions p_j are pooled over all ratings of the kept units;
   * kappa = (P-bar - P_e) / (1 - P_e) with P_e = sum_j p_j^2. With a constant number of raters per unit
   * this is exactly Fleiss (1971).
   */
  public static double fleissKappa(Ratings<?> r) {
    Map<Object, Integer> totals = new LinkedHashMap<>(); // enum keys hash by identity: HashMap order varies by JVM
    double sumP = 0;
    int units = 0;
    int ratings = 0;
    for (String unit : r.units()) {
      Map<String, ?> row = r.ratingsOf(unit);
      int m = row.size();
      if (m < 2) continue;
      Map<Object, Integer> counts = new LinkedHashMap<>();
      for (Object v : row.values()) counts.merge(v, 1, Integer::sum);
      double agreeingPairs = 0;
      for (int c : counts.values()) agreeingPairs += (double) c * (c - 1);
      sumP += agreeingPairs / ((double) m * (m - 1));
      counts.forEach((k, c) -> totals.merge(k, c, Integer::sum));
      units++;
      ratings += m;
    }
    if (units == 0) throw new IllegalArgumentException("Fleiss' kappa needs a unit with at least 2 ratings; " + r);
    double pe = 0;
    for (int c : totals.values()) pe += ((double) c / ratings) * ((double) c / ratings);
    return chanceCorrected(sumP / units, pe);
  }

  /**
   * Krippendorff's alpha = 1 - D_o / D_e for any difference function (Krippendorff 2011,
   * "Computing Krippendorff's Alpha-Reliability"). Only pairable values count (units with at least 2
   * ratings); n is their number.
   * D_o = (1/n) sum_u 1/(m_u - 1) sum_{i != j in u} delta^2(v_i, v_j) and
   * D_e = 1/(n(n-1)) sum_{i != j over all pairable values} delta^2(v_i, v_j).
   * 1.0 when D_e = 0 (all pairable values identical).
   */
  public static <V> double krippendorffAlpha(Ratings<V> r, Distance<? super V> d) {
    Map<V, Integer> valueCounts = new LinkedHashMap<>();
    double observed = 0; // sum_u 1/(m_u-1) sum_{i != j} delta^2
    int n = 0;
    for (String unit : r.units()) {
      List<V> values = new ArrayList<>(r.ratingsOf(unit).values());
      int m = values.size();
      if (m < 2) continue;
      double within = 0;
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) within += 2 * d.squared(values.get(i), values.get(j));
      }
      observed += within / (m - 1);
      n += m;
      for (V v : values) valueCounts.merge(v, 1, Integer::sum);
    }
    if (n == 0) throw new IllegalArgumentException("Krippendorff's alpha needs a unit with at least 2 ratings; " + r);
    double expected = expectedDisagreementSum(valueCounts, d);
    if (expected < EPS) return 1.0;
    return 1.0 - (n - 1) * observed / expected;
  }

  /** sum over ordered pairs of distinct pairable values of delta^2, grouped by equal values. */
  private static <V> double expectedDisagreementSum(Map<V, Integer> valueCounts, Distance<? super V> d) {
    List<Map.Entry<V, Integer>> entries = new ArrayList<>(valueCounts.entrySet());
    double sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        double w = (double) entries.get(i).getValue() * entries.get(j).getValue();
        sum += 2 * w * d.squared(entries.get(i).getKey(), entries.get(j).getKey());
      }
    }
    return sum;
  }

  private static double chanceCorrected(double observed, double expected) {
    if (1.0 - expected < EPS) return 1.0; // one category throughout: observed agreement is then perfect too
    return (observed - expected) / (1.0 - expected);
  }

  private static boolean shareUnit(Ratings<?> r, String a, String b) {
    for (String unit : r.units()) {
      Map<String, ?> row = r.ratingsOf(unit);
      if (row.containsKey(a) && row.containsKey(b)) return true;
    }
    return false;
  }
}

package org.rlhf4j.data.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {

  /**
   * Fleiss (1971) / Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters each, 5 categories.
   * Exact value by an independent fraction computation: P-bar = 0.378022, P_e = 0.212755,
   * kappa = 4211/20059 = 0.209931 (Wikipedia quotes 0.210).
   */
  @Test
  void fleissKappaOnTheTextbookExample() {
    int[][] counts = {
        {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
        {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
    Ratings.Builder<Integer> b = Ratings.builder();
    for (int s = 0; s < counts.length; s++) {
      int rater = 0;
      for (int cat = 0; cat < 5; cat++) {
        for (int k = 0; k < counts[s][cat]; k++) b.add("s" + s, "r" + rater++, cat + 1);
      }
    }
    assertThat(Agreement.fleissKappa(b.build())).isCloseTo(4211.0 / 20059.0, within(1e-12));
    assertThat(Agreement.fleissKappa(b.build())).isCloseTo(0.210, within(0.0005));
  }

  /** Unequal counts (documented generalisation): P = (1 + 0)/2, P_e = (4/5)^2 + (1/5)^2 = 0.68 → -0.5625. */
  @Test
  void fleissKappaWithUnequalRatingCountsDropsSingletons() {
    Ratings<String> r = Ratings.<String>builder()
        .add("u1", "x", "a").add("u1", "y", "a").add("u1", "z", "a")
        .add("u2", "x", "a").add("u2", "y", "b")
        .add("u3", "x", "b").build();
    assertThat(Agreement.fleissKappa(r)).isCloseTo(-0.5625, within(1e-12));
    assertThat(Agreement.rawAgreement(r)).isCloseTo(0.5, within(1e-12));
  }

  /**
   * 2x2 worked example, 50 items: both yes a=20, A yes/B no b=5, A no/B yes c=10, both no d=15.
   * p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
   */
  @Test
  void cohenKappaOnA2x2Table() {
    Ratings.Builder<String> b = Ratings.builder();
    int item = 0;
    item = addPairs(b, item, 20, "yes", "yes");
    item = addPairs(b, item, 5, "yes", "no");
    item = addPairs(b, item, 10, "no", "yes");
    item = addPairs(b, item, 15, "no", "no");
    b.add("only-A", "A", "yes"); // not rated by B: ignored
    Ratings<String> r = b.build();
    assertThat(Agreement.cohenKappa(r, "A", "B")).isCloseTo(0.4, within(1e-12));
    assertThat(Agreement.meanPairwiseCohenKappa(r)).isCloseTo(0.4, within(1e-12));
    assertThat(Agreement.rawAgreement(r)).isCloseTo(0.7, within(1e-12));
  }

  private static int addPairs(Ratings.Builder<String> b, int item, int n, String a, String bValue) {
    for (int i = 0; i < n; i++, item++) b.add("i" + item, "A", a).add("i" + item, "B", bValue);
    return item;
  }

  /**
   * Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units
   * with missing values. Exact values by an independent coincidence-matrix computation in fractions:
   * nominal alpha = 113/152 = 0.7434, interval alpha = 951/1120 = 0.8491 (the paper: 0.743 and 0.849).
   */
  @Test
  void krippendorffAlphaOnKrippendorffsExample() {
    Integer[][] data = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3},
        {null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null}};
    Ratings.Builder<Number> b = Ratings.builder();
    for (int obs = 0; obs < 4; obs++) {
      for (int u = 0; u < 12; u++) if (data[obs][u] != null) b.add("u" + u, "obs" + obs, data[obs][u]);
    }
    Ratings<Number> r = b.build();
    assertThat(Agreement.krippendorffAlpha(r, Distance.nominal())).isCloseTo(113.0 / 152.0, within(1e-12));
    assertThat(Agreement.krippendorffAlpha(r, Distance.interval())).isCloseTo(951.0 / 1120.0, within(1e-12));
  }

  /**
   * Rankings of 3 items by 2 raters on 3 units: P=[0,1,2] x3, Q=[1,0,2] x1, R=[2,1,0] x2 (pairable values).
   * d(P,Q)=1/3, d(P,R)=1, d(Q,R)=2/3. D_o = (2 * 1/3)/6 = 1/9; D_e = 2(3*1/3 + 6*1 + 2*2/3)/30 = 5/9;
   * alpha = 1 - 1/5 = 0.8.
   */
  @Test
  void krippendorffAlphaOnRankings() {
    List<Integer> p = List.of(0, 1, 2), q = List.of(1, 0, 2), rr = List.of(2, 1, 0);
    Ratings<List<Integer>> r = Ratings.<List<Integer>>builder()
        .add("u1", "a", p).add("u1", "b", p)
        .add("u2", "a", p).add("u2", "b", q)
        .add("u3", "a", rr).add("u3", "b", rr).build();
    assertThat(Agreement.krippendorffAlpha(r, Distance.ranking())).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void kendallDistanceIsTheFractionOfDiscordantPairs() {
    Distance<List<Integer>> d = Distance.ranking();
    assertThat(d.squared(List.of(0, 1, 2), List.of(0, 1, 2))).isZero();
    assertThat(d.squared(List.of(0, 1, 2), List.of(1, 0, 2))).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(d.squared(List.of(0, 1, 2, 3), List.of(3, 2, 1, 0))).isEqualTo(1.0);
    assertThatThrownBy(() -> d.squared(List.of(0, 1), List.of(0, 2))).hasMessageContaining("permutations");
  }

  @Test
  void rankingAlphaWithTwoItemsEqualsNominalAlpha() {
    Ratings.Builder<List<Integer>> b = Ratings.builder();
    int[][] firsts = {{0, 0, 1}, {1, 1, 1}, {0, 1, 0}, {0, 0, 0}};
    for (int u = 0; u < firsts.length; u++) {
      for (int k = 0; k < 3; k++) b.add("u" + u, "r" + k, firsts[u][k] == 0 ? List.of(0, 1) : List.of(1, 0));
    }
    Ratings<List<Integer>> r = b.build();
    assertThat(Agreement.krippendorffAlpha(r, Distance.ranking()))
        .isCloseTo(Agreement.krippendorffAlpha(r, Distance.nominal()), within(1e-12));
  }

  @Test
  void degenerateCasesAreDefinedNotNaN() {
    Ratings<String> allSame = Ratings.<String>builder()
        .add("u1", "a", "x").add("u1", "b", "x").add("u2", "a", "x").add("u2", "b", "x").build();
    assertThat(Agreement.cohenKappa(allSame, "a", "b")).isEqualTo(1.0);
    assertThat(Agreement.fleissKappa(allSame)).isEqualTo(1.0);
    assertThat(Agreement.krippendorffAlpha(allSame, Distance.nominal())).isEqualTo(1.0);
    assertThat(Agreement.rawAgreement(allSame)).isEqualTo(1.0);

    Ratings<String> nothingPairable = Ratings.<String>builder().add("u1", "a", "x").add("u2", "b", "y").build();
    assertThatThrownBy(() -> Agreement.fleissKappa(nothingPairable)).hasMessageContaining("at least 2 ratings");
    assertThatThrownBy(() -> Agreement.krippendorffAlpha(nothingPairable, Distance.nominal()))
        .hasMessageContaining("at least 2 ratings");
    assertThatThrownBy(() -> Agreement.rawAgreement(nothingPairable)).hasMessageContaining("at least 2 ratings");
    assertThatThrownBy(() -> Agreement.cohenKappa(nothingPairable, "a", "b")).hasMessageContaining("no unit in common");
    assertThatThrownBy(() -> Agreement.meanPairwiseCohenKappa(nothingPairable)).hasMessageContaining("share");
  }

  @Test
  void ratingsTableIsValidatedAndImmutable() {
    Ratings.Builder<String> b = Ratings.<String>builder().add("u", "a", "x");
    assertThatThrownBy(() -> b.add("u", "a", "y")).hasMessageContaining("already rated");
    assertThatThrownBy(() -> b.add("u", "b", null)).hasMessageContaining("value must not be null");
    Ratings<String> r = b.add("v", "b", "y").build();
    b.add("w", "c", "z");
    assertThat(r.units()).containsExactly("u", "v");
    assertThat(r.raters()).containsExactly("a", "b");
    assertThat(r.ratingsOf("u")).containsEntry("a", "x");
    assertThat(r.get("v", "a")).isNull();
    assertThatThrownBy(() -> r.ratingsOf("u").put("z", "q")).isInstanceOf(UnsupportedOperationException.class);
  }
}

package org.rlhf4j.data.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.rlhf4j.data.label.Choice.A;
import static org.rlhf4j.data.label.Choice.B;
import static org.rlhf4j.data.label.Choice.TIE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.agreement.Distance;
import org.rlhf4j.data.agreement.Ratings;

class LabelStatsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static PairwiseLabel label(String item, String rater, Choice c, int second) {
    return new PairwiseLabel(item, rater, c, 0, false, T0.plusSeconds(second));
  }

  @Test
  void labelRecordsAreValidated() {
    assertThatThrownBy(() -> new PairwiseLabel("i", "r", A, 4, false, T0)).hasMessageContaining("strength");
    assertThatThrownBy(() -> new PairwiseLabel(" ", "r", A, 0, false, T0)).hasMessageContaining("itemId");
    assertThatThrownBy(() -> new PairwiseLabel("i", "r", null, 0, false, T0)).hasMessageContaining("choice");
    assertThatThrownBy(() -> new RatingLabel("i", "r", 8, T0)).hasMessageContaining("1..7");
    assertThatThrownBy(() -> new RankingLabel("i", "r", List.of(0, 2), T0)).hasMessageContaining("permutation");
    assertThatThrownBy(() -> new RankingLabel("i", "r", List.of(1, 1), T0)).hasMessageContaining("permutation");
    assertThat(new RankingLabel("i", "r", List.of(2, 0, 1), T0).orderBestFirst()).containsExactly(2, 0, 1);
  }

  @Test
  void displayedChoiceIsUnswapped() {
    PairwiseLabel l = PairwiseLabel.fromDisplayed("i", "r", A, 2, true, T0);
    assertThat(l.choice()).isEqualTo(B);
    assertThat(l.displayedChoice()).isEqualTo(A);
    assertThat(PairwiseLabel.fromDisplayed("i", "r", TIE, 0, true, T0).choice()).isEqualTo(TIE);
  }

  @Test
  void goldAccuracyPerRater() {
    Map<String, Choice> gold = Map.of("g1", A, "g2", B, "g3", TIE);
    List<PairwiseLabel> labels = List.of(
        label("g1", "ann", A, 1), label("g2", "ann", B, 2), label("g3", "ann", A, 3), label("x", "ann", B, 4),
        label("g1", "bob", B, 1), label("g3", "bob", TIE, 2),
        label("x", "cat", A, 1));
    Map<String, Double> acc = LabelStats.goldAccuracy(labels, gold);
    assertThat(acc).containsOnlyKeys("ann", "bob");
    assertThat(acc.get("ann")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(acc.get("bob")).isEqualTo(0.5);
  }

  @Test
  void majorityAgreementLeavesSelfOut() {
    // item 1: ann A, bob A, cat B  -> ann vs {A,B} tie (unscored), bob vs {A,B} unscored, cat vs {A,A}=A wrong
    // item 2: ann B, bob B, cat B  -> everyone agrees with the others
    // item 3: ann A, bob B        -> each vs a single other label: disagree
    List<PairwiseLabel> labels = List.of(
        label("1", "ann", A, 1), label("1", "bob", A, 2), label("1", "cat", B, 3),
        label("2", "ann", B, 4), label("2", "bob", B, 5), label("2", "cat", B, 6),
        label("3", "ann", A, 7), label("3", "bob", B, 8),
        label("4", "dan", A, 9));
    Map<String, Double> agree = LabelStats.majorityAgreement(labels);
    assertThat(agree).containsOnlyKeys("ann", "bob", "cat");
    assertThat(agree.get("ann")).isEqualTo(0.5);
    assertThat(agree.get("bob")).isEqualTo(0.5);
    assertThat(agree.get("cat")).isEqualTo(0.5);
  }

  @Test
  void softLabelCountsTiesHalf() {
    assertThat(LabelStats.softLabel(List.of(label("i", "a", A, 1), label("i", "b", TIE, 2),
        label("i", "c", B, 3), label("i", "d", A, 4)))).isEqualTo(0.625);
    assertThatThrownBy(() -> LabelStats.softLabel(List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> LabelStats.softLabel(List.of(label("i", "a", A, 1), label("j", "b", A, 2))))
        .hasMessageContaining("one item");
  }

  @Test
  void driftFlagsARaterWhoseRecentAccuracyFalls() {
    Map<String, Choice> gold = new java.util.HashMap<>();
    List<PairwiseLabel> labels = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      gold.put("g" + i, A);
      // ann: correct on the first 8, wrong on the last 4. bob: alternating, steady at 50%.
      labels.add(label("g" + i, "ann", i < 8 ? A : B, i));
      labels.add(label("g" + i, "bob", i % 2 == 0 ? A : B, i));
    }
    java.util.Collections.reverse(labels); // order of input must not matter, time does
    List<DriftFlag> flags = LabelStats.drift(labels, gold, 4, 0.5);
    assertThat(flags).hasSize(1);
    DriftFlag f = flags.get(0);
    // first window with before - after >= 0.5: start = 6 (before 6/6 = 1, window g6..g9 = 2/4 = 0.5)
    assertThat(f.raterId()).isEqualTo("ann");
    assertThat(f.since()).isEqualTo(T0.plusSeconds(6));
    assertThat(f.before()).isEqualTo(1.0);
    assertThat(f.after()).isEqualTo(0.5);
    assertThat(LabelStats.drift(labels, gold, 4, 1.0)).extracting(DriftFlag::since).containsExactly(T0.plusSeconds(8));
    assertThatThrownBy(() -> LabelStats.drift(labels, gold, 0, 0.5)).hasMessageContaining("window");
  }

  @Test
  void positionBiasIsTheShareOfFirstShownPicks() {
    List<PairwiseLabel> labels = List.of(
        PairwiseLabel.fromDisplayed("1", "r", A, 0, false, T0),
        PairwiseLabel.fromDisplayed("2", "r", A, 0, true, T0),
        PairwiseLabel.fromDisplayed("3", "r", B, 0, true, T0),
        PairwiseLabel.fromDisplayed("4", "r", TIE, 0, true, T0));
    assertThat(LabelStats.firstShownPreference(labels)).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void labelTablesFeedTheAgreementStatistics() {
    List<PairwiseLabel> labels = List.of(
        label("1", "a", A, 1), label("1", "b", A, 2),
        label("2", "a", B, 3), label("2", "b", A, 4), label("2", "b", B, 5)); // b changed their mind: latest wins
    Ratings<Choice> table = LabelTables.pairwise(labels);
    assertThat(table.get("2", "b")).isEqualTo(B);
    assertThat(Agreement.rawAgreement(table)).isEqualTo(1.0);
    Ratings<List<Integer>> ranks = LabelTables.rankings(List.of(
        new RankingLabel("1", "a", List.of(0, 1, 2), T0), new RankingLabel("1", "b", List.of(1, 0, 2), T0)));
    assertThat(Distance.ranking().squared(ranks.get("1", "a"), ranks.get("1", "b"))).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(LabelTables.ratings(List.of(new RatingLabel("1", "a", 5, T0))).get("1", "a")).isEqualTo(5);
  }
}

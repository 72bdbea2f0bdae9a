package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented weak-label rules (feedback/README.md, "Implicit feedback"). */
class ImplicitRulesTest {
  static final ImplicitRules R = ImplicitRules.defaults();

  static ImplicitRules.Event e(String kind, Double seconds, Double distance) { return new ImplicitRules.Event(kind, seconds, distance); }

  @Test void eachEventVotesAsDocumented() {
    assertThat(R.vote(e("regenerate", 5.0, null))).isEqualTo(-1); // regenerated within 30 s
    assertThat(R.vote(e("regenerate", 30.0, null))).isEqualTo(-1);
    assertThat(R.vote(e("regenerate", 31.0, null))).isZero(); // later: no vote
    assertThat(R.vote(e("regenerate", null, null))).isEqualTo(-1); // time unknown: counted as immediate
    assertThat(R.vote(e("copy", null, null))).isEqualTo(1);
    assertThat(R.vote(e("continued", null, null))).isEqualTo(1);
    assertThat(R.vote(e("abandoned", null, null))).isEqualTo(-1);
    assertThat(R.vote(e("dwell", 20.0, null))).isEqualTo(1);
    assertThat(R.vote(e("dwell", 10.0, null))).isZero();
    assertThat(R.vote(e("dwell", 1.5, null))).isEqualTo(-1);
    assertThat(R.vote(e("correction", null, 0.5))).isEqualTo(-1); // rewrote half
    assertThat(R.vote(e("correction", null, 0.1))).isEqualTo(1); // a light touch-up
  }

  @Test void labelsAreTheSignOfTheVotesWithTheirSource() {
    assertThat(R.label(List.of(e("regenerate", 3.0, null), e("abandoned", null, null), e("copy", null, null))))
        .isEqualTo(new ImplicitRules.Label(-1, "implicit:regenerate+abandoned"));
    assertThat(R.label(List.of(e("copy", null, null), e("dwell", 40.0, null))))
        .isEqualTo(new ImplicitRules.Label(1, "implicit:copy+dwell"));
    assertThat(R.label(List.of(e("copy", null, null), e("abandoned", null, null))).sign()).isZero();
    assertThat(R.label(List.of()).sign()).isZero();
    ImplicitRules strict = new ImplicitRules(10, 20, 2, 0.3, true); // configurable: only regenerations within 10 s count
    assertThat(strict.label(List.of(e("regenerate", 15.0, null))).sign()).isZero();
  }

  @Test void editDistanceIsLevenshteinOverTheLongerLength() {
    assertThat(ImplicitRules.normalisedEditDistance("kitten", "sitting")).isCloseTo(3.0 / 7, within(1e-12));
    assertThat(ImplicitRules.normalisedEditDistance("same", "same")).isZero();
    assertThat(ImplicitRules.normalisedEditDistance("", "")).isZero();
    assertThat(ImplicitRules.normalisedEditDistance("", "abc")).isEqualTo(1.0);
  }

  @Test void rejectsIncoherentRules() {
    assertThatThrownBy(() -> new ImplicitRules(30, 2, 20, 0.3, true)).hasMessageContaining("dwellNegativeSeconds");
    assertThatThrownBy(() -> new ImplicitRules(30, 20, 2, 1.5, true)).hasMessageContaining("correctionNegativeAbove");
  }
}

package org.rlhf4j.aifeedback.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.Content;

/** The reward-model judge and the ensembles, against numbers worked out by hand. */
class SimpleJudgesTest {
  private static Judge fixed(String name, double... p) {
    return new Judge() {
      @Override public List<Verdict> compare(List<Comparison> items) {
        return java.util.stream.IntStream.range(0, items.size()).mapToObj(i -> Verdict.of(p[i])).toList();
      }
      @Override public String name() { return name; }
    };
  }

  @Test
  void rewardModelJudgeIsTheBradleyTerryProbabilityAndPositionFree() {
    Map<String, Double> reward = Map.of("good", 1.5, "bad", -0.5, "ok", 0.25);
    RewardModelJudge rm = new RewardModelJudge((prompts, responses) -> {
      assertThat(prompts).allMatch(p -> p.equals(Content.text("q")));
      return responses.stream().mapToDouble(reward::get).toArray();
    }, "rm");
    List<Comparison> items = List.of(Comparison.of("q", "good", "bad"), Comparison.of("q", "ok", "good"));
    List<Verdict> v = rm.compare(items);
    assertThat(v.get(0).probabilityA()).isCloseTo(1 / (1 + Math.exp(-2.0)), within(1e-12));  // sigma(1.5 + 0.5)
    assertThat(v.get(1).probabilityA()).isCloseTo(1 / (1 + Math.exp(1.25)), within(1e-12));  // sigma(0.25 - 1.5)
    assertThat(PositionBias.of(BothOrders.of(rm).compareBoth(items)).meanShift()).isCloseTo(0, within(1e-12));
  }

  @Test
  void ensembleMeanAndMajority() {
    Judge a = fixed("a", 0.9, 0.2, 0.5), b = fixed("b", 0.6, 0.4, 0.7), c = fixed("c", 0.3, 0.45, 0.5);
    List<Comparison> items = List.of(Comparison.of("q", "x", "y"), Comparison.of("q", "x", "z"), Comparison.of("q", "y", "z"));
    List<Verdict> mean = new EnsembleJudge(List.of(a, b, c), EnsembleJudge.Vote.MEAN).compare(items);
    assertThat(mean.get(0).probabilityA()).isCloseTo(0.6, within(1e-12));
    assertThat(mean.get(1).probabilityA()).isCloseTo(0.35, within(1e-12));
    List<Verdict> majority = new EnsembleJudge(List.of(a, b, c), EnsembleJudge.Vote.MAJORITY).compare(items);
    assertThat(majority.get(0).probabilityA()).isCloseTo(2 / 3.0, within(1e-12)); // a and b prefer A
    assertThat(majority.get(1).probabilityA()).isCloseTo(0.0, within(1e-12));
    assertThat(majority.get(2).probabilityA()).isCloseTo((0.5 + 1 + 0.5) / 3, within(1e-12)); // ties count half
    assertThat(new EnsembleJudge(List.of(a, b), EnsembleJudge.Vote.MEAN).name()).isEqualTo("mean(a, b)");
    assertThatThrownBy(() -> new EnsembleJudge(List.of(), EnsembleJudge.Vote.MEAN)).hasMessageContaining("at least one");
  }

  @Test
  void verdictsAreValidated() {
    assertThatThrownBy(() -> Verdict.of(1.2)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> Verdict.of(Double.NaN)).hasMessageContaining("[0, 1]");
    assertThat(Verdict.of(0.3).swapped().probabilityA()).isCloseTo(0.7, within(1e-12));
  }
}

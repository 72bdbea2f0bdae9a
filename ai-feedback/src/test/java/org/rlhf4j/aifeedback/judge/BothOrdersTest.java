package org.rlhf4j.aifeedback.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Position-bias correction on stub judges whose bias is known exactly. */
class BothOrdersTest {
  /** Hidden quality of each response: the unbiased P(x better than y) is sigmoid(q(x) - q(y)). */
  private static final Map<String, Double> QUALITY = Map.of("r0", 0.0, "r1", 0.4, "r2", -0.7, "r3", 1.1, "r4", -0.2);

  static double truth(Comparison c) {
    return Averaging.sigmoid(QUALITY.get(c.responseA()) - QUALITY.get(c.responseB()));
  }

  /** A judge that distorts the true P(first is better) by {@code bias}, and counts its calls. */
  static final class Stub implements Judge {
    final DoubleUnaryOperator bias;
    final List<Integer> calls = new ArrayList<>();

    Stub(DoubleUnaryOperator bias) { this.bias = bias; }

    @Override public List<Verdict> compare(List<Comparison> items) {
      calls.add(items.size());
      return items.stream().map(c -> Verdict.of(bias.applyAsDouble(truth(c)))).toList();
    }

    @Override public String name() { return "stub"; }
  }

  static List<Comparison> allPairs() {
    List<Comparison> items = new ArrayList<>();
    for (String a : QUALITY.keySet()) for (String b : QUALITY.keySet()) if (!a.equals(b)) items.add(Comparison.of("q", a, b));
    return items;
  }

  @Test
  void probabilityAveragingRecoversTheUnbiasedProbabilityFromAnAdditiveBias() {
    Stub stub = new Stub(p -> p + 0.12); // prefers whichever response comes first by 0.12 (truths lie in [0.14, 0.87])
    List<Comparison> items = allPairs();
    List<BothOrders.Debiased> answers = BothOrders.of(stub).compareBoth(items);
    for (int i = 0; i < items.size(); i++) {
      assertThat(answers.get(i).probabilityA()).as(items.get(i).toString()).isCloseTo(truth(items.get(i)), within(1e-12));
      assertThat(answers.get(i).firstOrder()).isCloseTo(truth(items.get(i)) + 0.12, within(1e-12));
    }
    PositionBias bias = PositionBias.of(answers);
    assertThat(bias.meanShift()).isCloseTo(0.12, within(1e-12));
    assertThat(bias.n()).isEqualTo(items.size());
    // Pairs whose truth lies within 0.12 of 1/2 flip with the order: by hand, |q(x) - q(y)| < logit(0.62) = 0.4895:
    // (r0,r1) at 0.4 and (r0,r4) at 0.2, in both orders -> 4 of the 20 ordered pairs ((r2,r4) at 0.5 just misses).
    assertThat(bias.flipRate()).isCloseTo(4 / 20.0, within(1e-12));
    assertThat(bias.firstPreferredRate()).isGreaterThan(0.5);
    assertThat(stub.calls).as("both orders go to the judge in one batch").containsExactly(2 * items.size());
  }

  @Test
  void logOddsAveragingRecoversTheUnbiasedProbabilityFromALogitBias() {
    Stub stub = new Stub(p -> Averaging.sigmoid(Averaging.logit(p) + 0.8)); // +0.8 nats of log-odds for the first position
    List<Comparison> items = allPairs();
    List<BothOrders.Debiased> logOdds = new BothOrders(stub, Averaging.LOG_ODDS).compareBoth(items);
    List<BothOrders.Debiased> plain = BothOrders.of(stub).compareBoth(items);
    for (int i = 0; i < items.size(); i++) {
      double t = truth(items.get(i));
      assertThat(logOdds.get(i).probabilityA()).isCloseTo(t, within(1e-9));
      // Probability averaging removes the bias's sign but shrinks towards 1/2 here: (s(l+b) + s(l-b)) / 2.
      double expected = (Averaging.sigmoid(Averaging.logit(t) + 0.8) + Averaging.sigmoid(Averaging.logit(t) - 0.8)) / 2;
      assertThat(plain.get(i).probabilityA()).isCloseTo(expected, within(1e-9));
      assertThat(Math.abs(plain.get(i).probabilityA() - 0.5)).isLessThan(Math.abs(t - 0.5) + 1e-12);
    }
  }

  @Test
  void anUnbiasedJudgeMeasuresNoBiasAndTheCombinedVerdictKeepsBothRationales() {
    Judge honest = new Judge() {
      @Override public List<Verdict> compare(List<Comparison> items) {
        return items.stream().map(c -> new Verdict(truth(c), "because " + c.responseA(), 0.9)).toList();
      }
      @Override public String name() { return "honest"; }
    };
    List<Comparison> items = allPairs();
    assertThat(PositionBias.of(BothOrders.of(honest).compareBoth(items)).meanShift()).isCloseTo(0, within(1e-12));
    Verdict v = BothOrders.of(honest).compare(Comparison.of("q", "r3", "r2"));
    assertThat(v.probabilityA()).isCloseTo(Averaging.sigmoid(1.8), within(1e-12));
    assertThat(v.rationale()).contains("[A first] because r3").contains("[B first] because r2");
    assertThat(v.optionMass()).isEqualTo(0.9);
  }

  @Test
  void positionBiasOfTwoBatchesIsTheirWeightedMean() {
    PositionBias a = new PositionBias(10, 0.1, 0.2, 0.6), b = new PositionBias(30, 0.3, 0.0, 0.8);
    PositionBias s = a.plus(b);
    assertThat(s.n()).isEqualTo(40);
    assertThat(s.meanShift()).isCloseTo(0.25, within(1e-12));
    assertThat(s.flipRate()).isCloseTo(0.05, within(1e-12));
    assertThat(s.firstPreferredRate()).isCloseTo(0.75, within(1e-12));
  }
}

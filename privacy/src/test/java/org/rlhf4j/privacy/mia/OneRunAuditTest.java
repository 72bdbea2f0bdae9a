package org.rlhf4j.privacy.mia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OneRunAuditTest {
  @Test void binomialTailsByHand() {
    double[] t = OneRunAudit.upperTails(4, 0.5);
    assertThat(t[0]).isCloseTo(1, within(1e-12));
    assertThat(t[4]).isCloseTo(1 / 16.0, within(1e-12));
    assertThat(t[3]).isCloseTo(5 / 16.0, within(1e-12));
    // At p = 1 every draw is n: the tail is 1 everywhere (no 0 · log 0 NaN).
    assertThat(OneRunAudit.upperTails(3, 1.0)).containsExactly(1, 1, 1, 1, 0);
    // With δ = 0 the p-value is the binomial tail at q = e^ε / (1 + e^ε): ε = 0, 4 of 4 right is 1/16.
    assertThat(OneRunAudit.pValue(10, 4, 4, 0, 0)).isCloseTo(1 / 16.0, within(1e-12));
    // δ adds 2mδ·α: α = max_i (P[B ≥ 4 − i] − 1/16) / i = max(4/16, 10/16 / 2, 14/16 / 3, 15/16 / 4) = 5/16.
    assertThat(OneRunAudit.pValue(10, 4, 4, 0, 1e-3)).isCloseTo(1 / 16.0 + 5 / 16.0 * 1e-3 * 20, within(1e-12));
  }

  @Test void perfectlySeparatedCanariesGiveTheClosedForm() {
    double[] in = new double[500];
    double[] out = new double[500];
    for (int i = 0; i < 500; i++) {
      in[i] = i;
      out[i] = 1000 + i;
    }
    OneRunAudit.Result r = OneRunAudit.audit(in, out, 0, 0.05);
    // Best guess: the 500 members, all right: q^500 = 0.05 / 10 (Bonferroni over k = 1000, 500, 250, … 1), ε = logit(q).
    double q = Math.exp(Math.log(0.05 / 10) / 500);
    assertThat(r.epsilonLowerBound()).isCloseTo(Math.log(q / (1 - q)), within(1e-5));
    assertThat(r.guesses()).isEqualTo(500);
    assertThat(r.correct()).isEqualTo(500);
    // δ > 0 can only weaken the bound.
    assertThat(OneRunAudit.audit(in, out, 1e-5, 0.05).epsilonLowerBound()).isLessThan(r.epsilonLowerBound());
  }

  @Test void aNonPrivateCoinIsRefutedAndARandomisedResponseBoundStaysBelowItsEpsilon() {
    Random rnd = new Random(3);
    double eps = 1.0;
    List<Double> in = new ArrayList<>(), out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      boolean member = rnd.nextBoolean();
      boolean truthful = rnd.nextDouble() < OneRunAudit.logistic(eps); // ε-DP randomised response on the coin
      boolean saysMember = truthful == member;
      (member ? in : out).add((saysMember ? 0 : 1) + 1e-3 * rnd.nextDouble());
    }
    OneRunAudit.Result r = OneRunAudit.audit(unbox(in), unbox(out), 0, 0.05);
    assertThat(r.epsilonLowerBound()).isGreaterThan(0.5).isLessThan(eps);
    // δ = 1e-5 over 2,000 canaries adds 2mδ·α = 0.04 α to every p-value: a weaker bound, still above chance.
    assertThat(OneRunAudit.audit(unbox(in), unbox(out), 1e-5, 0.05).epsilonLowerBound()).isGreaterThan(0).isLessThan(r.epsilonLowerBound());
  }

  @Test void scoresThatIgnoreMembershipRefuteNothingAtTheStatedConfidence() {
    Random rnd = new Random(11);
    int refuted = 0, trials = 200;
    for (int t = 0; t < trials; t++) {
      List<Double> in = new ArrayList<>(), out = new ArrayList<>();
      for (int i = 0; i < 200; i++) (rnd.nextBoolean() ? in : out).add(rnd.nextGaussian());
      if (OneRunAudit.audit(unbox(in), unbox(out), 1e-5, 0.05).epsilonLowerBound() > 0) refuted++;
    }
    assertThat(refuted).isLessThanOrEqualTo(trials / 20);
  }

  @Test void badInputsNameTheArgument() {
    assertThatThrownBy(() -> OneRunAudit.audit(new double[0], new double[] {1}, 0, 0.05)).hasMessageContaining("canaries");
    assertThatThrownBy(() -> OneRunAudit.audit(new double[] {1}, new double[] {1}, 1, 0.05)).hasMessageContaining("delta");
    assertThatThrownBy(() -> OneRunAudit.audit(new double[] {1}, new double[] {1}, 0, 0)).hasMessageContaining("significance");
  }

  private static double[] unbox(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).toArray(); }
}

package org.rlhf4j.privacy.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Samplers and mechanisms checked statistically on seeded samples (tolerances are several standard errors). */
class MechanismTest {
  private static SecureNoise seeded(long seed) { return new SecureNoise(new SplittableRandom(seed)); }

  @Test void discreteLaplaceHasItsVarianceAndIsSymmetric() {
    SecureNoise noise = seeded(1);
    double b = 2.5; // scale t/s = 5/2
    int n = 60_000;
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      long z = noise.discreteLaplace(Rational.of(b));
      sum += z;
      sq += (double) z * z;
    }
    double q = Math.exp(-1 / b);
    double variance = 2 * q / ((1 - q) * (1 - q)); // of P(z) ∝ q^|z|
    assertThat(sum / n).isCloseTo(0, within(4 * Math.sqrt(variance / n)));
    assertThat(sq / n).isCloseTo(variance, within(0.04 * variance));
  }

  @Test void discreteGaussianHasVarianceNearSigmaSquared() {
    SecureNoise noise = seeded(2);
    double sigma = 3;
    int n = 40_000;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      long z = noise.discreteGaussian(Rational.of(sigma * sigma));
      sq += (double) z * z;
    }
    // Var N_Z(0, σ²) < σ² by less than 1e-70 at σ = 3 (CKS 2020, Prop. 19); sampling SE of the variance ≈ σ²·sqrt(2/n).
    assertThat(sq / n).isCloseTo(sigma * sigma, within(4 * sigma * sigma * Math.sqrt(2.0 / n)));
  }

  @Test void laplaceCountsSatisfyTheEpsilonInequality() {
    double eps = 1.0;
    Mechanism.Laplace m = new Mechanism.Laplace(eps, 1, seeded(3));
    int n = 100_000;
    Map<Long, Integer> h0 = new HashMap<>();
    Map<Long, Integer> h1 = new HashMap<>();
    for (int i = 0; i < n; i++) {
      h0.merge(m.releaseCount(10), 1, Integer::sum);
      h1.merge(m.releaseCount(11), 1, Integer::sum);
    }
    int checked = 0;
    for (long k = 0; k <= 21; k++) {
      int a = h0.getOrDefault(k, 0);
      int c = h1.getOrDefault(k, 0);
      if (a < 1000 || c < 1000) continue;
      double ratio = Math.max(a, c) / (double) Math.min(a, c);
      double se = ratio * Math.sqrt(1.0 / a + 1.0 / c);
      assertThat(ratio).as("P[M(10)=%d] vs P[M(11)=%d]", k, k).isLessThanOrEqualTo(Math.exp(eps) + 4 * se);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(6);
    // Away from the two inputs the ratio is e^ε itself: the bound is tight, not vacuous.
    assertThat(h0.get(8L) / (double) h1.get(8L)).isCloseTo(Math.exp(eps), within(0.1));
  }

  @Test void realValuedLaplaceReleasesLieOnTheGridWithTheRightSpread() {
    Mechanism.Laplace m = new Mechanism.Laplace(0.5, 1.0, seeded(4));
    double g = Mechanism.Checks.grid(m.scale());
    assertThat(g).isEqualTo(Math.scalb(1.0, -39)); // scale 2 → 2·2^-40
    int n = 40_000;
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double r = m.release(0.3);
      assertThat(r / g).isEqualTo(Math.rint(r / g));
      sum += r - 0.3;
      sq += (r - 0.3) * (r - 0.3);
    }
    double var = 2 * m.scale() * m.scale();
    assertThat(sum / n).isCloseTo(0, within(4 * Math.sqrt(var / n)));
    assertThat(sq / n).isCloseTo(var, within(0.05 * var));
  }

  @Test void gaussianReleasesHaveTheAnalyticSigma() {
    Mechanism.Gaussian m = new Mechanism.Gaussian(1.0, 1e-5, 1.0, seeded(5));
    int n = 20_000;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double d = m.release(5.0) - 5.0;
      sq += d * d;
    }
    double s2 = m.sigma() * m.sigma();
    assertThat(sq / n).isCloseTo(s2, within(4 * s2 * Math.sqrt(2.0 / n)));
  }

  @Test void analyticGaussianMatchesAnIndependentBisection() {
    // python3, math.erfc, 200-step bisection of Balle & Wang's Theorem 8: 3.7306316348, 8.0576184807, 1.9938124456.
    assertThat(AnalyticGaussian.sigma(1, 1e-5, 1)).isCloseTo(3.7306316348, within(1e-8));
    assertThat(AnalyticGaussian.sigma(0.5, 1e-6, 1)).isCloseTo(8.0576184807, within(1e-8));
    assertThat(AnalyticGaussian.sigma(2, 1e-5, 3)).isCloseTo(3 * 1.9938124456, within(1e-7));
    double classical = Math.sqrt(2 * Math.log(1.25 / 1e-5));
    assertThat(AnalyticGaussian.sigma(1, 1e-5, 1)).isLessThan(classical);
    assertThat(AnalyticGaussian.delta(AnalyticGaussian.sigma(1, 1e-5, 1), 1, 1)).isLessThanOrEqualTo(1e-5).isGreaterThan(0.999e-5);
  }

  @Test void badParametersAreRefused() {
    assertThatThrownBy(() -> new Mechanism.Laplace(0, 1, seeded(1))).hasMessageContaining("epsilon must be positive");
    assertThatThrownBy(() -> new Mechanism.Gaussian(1, 0, 1, seeded(1))).hasMessageContaining("delta must be in (0, 1)");
    assertThatThrownBy(() -> new Mechanism.Laplace(1, 1, seeded(1)).release(1e300)).hasMessageContaining("clamp it");
  }
}

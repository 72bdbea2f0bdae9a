package org.rlhf4j.synth.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VariationalGaussianMixtureTest {
  /** n draws from 0.5 N(-5, 1) + 0.3 N(0, 0.5) + 0.2 N(6, 2). */
  static double[] threeModes(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      x[i] = u < 0.5 ? -5 + r.nextGaussian() : u < 0.8 ? 0.5 * r.nextGaussian() : 6 + 2 * r.nextGaussian();
    }
    return x;
  }

  /**
   * Variational EM may split a mode over two or three components (a local optimum scikit-learn shares), so the
   * check groups the kept components (weight above 0.005) by the nearest true mode: each group's weight and
   * weighted mean must match the mode's, and the broad components the prior empties must be left with almost nothing.
   */
  @Test void recoversTheThreeModesWeightsAndMeans() {
    VariationalGaussianMixture m = VariationalGaussianMixture.fit(threeModes(6000, 1)); // CTGAN's settings: 100 iterations
    double[] w = m.weights(), mu = m.means(), sd = m.stds();
    double[] modes = {-5, 0, 6}, weights = {0.5, 0.3, 0.2};
    double[] groupWeight = new double[3], groupMean = new double[3];
    double broad = 0;
    for (int j = 0; j < w.length; j++) {
      if (sd[j] > 3) broad += w[j]; // wider than any true mode: the catch-all components the prior drains
      if (w[j] <= ModeNormalizer.WEIGHT_THRESHOLD) continue;
      int g = 0;
      for (int k = 1; k < 3; k++) if (Math.abs(mu[j] - modes[k]) < Math.abs(mu[j] - modes[g])) g = k;
      groupWeight[g] += w[j];
      groupMean[g] += w[j] * mu[j];
    }
    for (int k = 0; k < 3; k++) {
      assertThat(groupWeight[k]).as("weight near %s", modes[k]).isCloseTo(weights[k], within(0.03));
      assertThat(groupMean[k] / groupWeight[k]).as("mean near %s", modes[k]).isCloseTo(modes[k], within(0.2));
    }
    assertThat(broad).isLessThan(0.02);
    assertThat(Arrays.stream(w).sum()).isCloseTo(1, within(1e-9));
  }

  @Test void moreIterationsDrainTheUnneededComponents() {
    VariationalGaussianMixture m = VariationalGaussianMixture.fit(threeModes(6000, 1), 10, 1e-3, 1000, 1e-3);
    long kept = Arrays.stream(m.weights()).filter(v -> v > ModeNormalizer.WEIGHT_THRESHOLD).count();
    assertThat(kept).isBetween(3L, 5L); // measured: 5 (the -5 mode split in three), from 10
  }

  @Test void responsibilitiesFollowTheNearestMode() {
    VariationalGaussianMixture m = VariationalGaussianMixture.fit(threeModes(3000, 2));
    double[] r = m.responsibilities(-5), mu = m.means();
    double near = 0;
    for (int j = 0; j < r.length; j++) if (Math.abs(mu[j] + 5) < 0.5) near += r[j];
    assertThat(near).isGreaterThan(0.99);
    assertThat(Arrays.stream(r).sum()).isCloseTo(1, within(1e-9));
  }
}

package org.rlhf4j.privacy.mia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LossThresholdAttackTest {
  @Test void aucAndTprByHand() {
    // Members {0.1, 0.2, 0.5}, non-members {0.3, 0.5, 0.9}: pairs won 3 + 3 + (1 + 0.5 for the tie) = 7.5 of 9.
    LossThresholdAttack.Result r = LossThresholdAttack.evaluate(new double[] {0.1, 0.2, 0.5}, new double[] {0.3, 0.5, 0.9}, 0.34);
    assertThat(r.auc()).isCloseTo(7.5 / 9, within(1e-12));
    // At most one non-member accused: threshold 0.3, members 0.1 and 0.2 caught.
    assertThat(r.tprAtFpr()).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test void sameDistributionIsChance() {
    Random rnd = new Random(1);
    double[] a = new double[20_000];
    double[] b = new double[20_000];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextGaussian();
      b[i] = rnd.nextGaussian();
    }
    LossThresholdAttack.Result r = LossThresholdAttack.evaluate(a, b, 0.01);
    assertThat(r.auc()).isCloseTo(0.5, within(0.015));
    assertThat(r.tprAtFpr()).isCloseTo(0.01, within(0.005));
  }
}

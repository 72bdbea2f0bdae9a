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
    // DeLong: member placements {1, 1, 1/2} (sample variance 1/12), non-member placements {2/3, 5/6, 1} (1/36);
    // var(AUC) = (1/12) / 3 + (1/36) / 3 = 1/27.
    assertThat(r.aucStandardError()).isCloseTo(Math.sqrt(1 / 27.0), within(1e-12));
  }

  @Test void standardErrorMatchesTheSpreadOverRepeatedDraws() {
    Random rnd = new Random(7);
    int reps = 400, size = 100;
    double sum = 0, sumSq = 0, seSum = 0;
    for (int k = 0; k < reps; k++) {
      double[] a = new double[size];
      double[] b = new double[size];
      for (int i = 0; i < size; i++) {
        a[i] = rnd.nextGaussian() - 0.5; // members: lower loss, AUC about 0.64
        b[i] = rnd.nextGaussian();
      }
      LossThresholdAttack.Result r = LossThresholdAttack.evaluate(a, b, 0.01);
      sum += r.auc();
      sumSq += r.auc() * r.auc();
      seSum += r.aucStandardError();
    }
    double spread = Math.sqrt((sumSq - sum * sum / reps) / (reps - 1));
    assertThat(seSum / reps).isCloseTo(spread, within(0.15 * spread));
  }

  @Test void oneMemberHasNoStandardError() {
    assertThat(LossThresholdAttack.evaluate(new double[] {0.1}, new double[] {0.3, 0.5}, 0.5).aucStandardError()).isNaN();
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
    // Identical continuous distributions: each placement is uniform (variance 1/12), so se = sqrt((1/12)(2/20,000)).
    assertThat(r.aucStandardError()).isCloseTo(Math.sqrt(2 / 12.0 / 20_000), within(1e-4));
  }
}

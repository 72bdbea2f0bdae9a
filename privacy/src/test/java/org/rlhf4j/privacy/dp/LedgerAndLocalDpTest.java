package org.rlhf4j.privacy.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budget ledger, DP statistics with ε beside each figure, randomised response and central vs local accuracy. */
class LedgerAndLocalDpTest {
  private static SecureNoise seeded(long seed) { return new SecureNoise(new SplittableRandom(seed)); }

  @Test void theLedgerRefusesAnOverBudgetQueryAndReleasesNothing(@TempDir Path dir) {
    PrivacyLedger ledger = PrivacyLedger.open(dir.resolve("ledger.jsonl"));
    ledger.setBudget("labels", PrivacyCost.pure(1.0));
    DpStatistics stats = new DpStatistics(ledger, "labels", seeded(7));
    DpFigure f = stats.count("label count", 120, 0.6);
    assertThat(f.cost().epsilon()).isEqualTo(0.6);
    assertThat(f.display()).startsWith("label count ").contains("ε = 0.6");
    AtomicInteger ran = new AtomicInteger();
    assertThatThrownBy(() -> ledger.charge("labels", "win rate", PrivacyCost.pure(0.5), ran::incrementAndGet))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessage("query 'win rate' on 'labels' costs ε = 0.5 but only ε = 0.4 of the budget ε = 1 remains; nothing was released");
    assertThat(ran.get()).isZero();
    assertThat(ledger.spent("labels").epsilon()).isEqualTo(0.6);
    stats.rate("win rate", 30.5, 50, 0.4); // exactly the rest
    assertThat(ledger.remaining("labels").orElseThrow().epsilon()).isCloseTo(0, within(1e-12));
    // A restart re-reads what was spent.
    PrivacyLedger again = PrivacyLedger.open(dir.resolve("ledger.jsonl"));
    again.setBudget("labels", PrivacyCost.pure(1.0));
    assertThat(again.spent("labels").epsilon()).isCloseTo(1.0, within(1e-12));
    assertThatThrownBy(() -> new DpStatistics(again, "labels", seeded(1)).count("x", 1, 0.01)).isInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> ledger.charge("other", "q", PrivacyCost.pure(0.1), () -> 1)).hasMessageContaining("has no privacy budget");
  }

  @Test void ratesAreClampedAndCarryTheirNoise() {
    PrivacyLedger ledger = PrivacyLedger.inMemory();
    ledger.setBudget("prod", PrivacyCost.pure(100));
    DpStatistics stats = new DpStatistics(ledger, "prod", seeded(8));
    double sum = 0;
    for (int i = 0; i < 200; i++) {
      DpFigure r = stats.rate("thumbs-up rate", 700, 1000, 0.5);
      assertThat(r.value()).isBetween(0.0, 1.0);
      sum += r.value();
    }
    assertThat(sum / 200).isCloseTo(0.7, within(0.002)); // sd per release 2√2/(0.5·2000) ≈ 0.0028
    assertThatThrownBy(() -> stats.rate("bad", 0.3, 10, 1)).hasMessageContaining("multiple of 0.5");
  }

  @Test void randomisedResponseEstimatorIsUnbiased() {
    RandomizedResponse rr = new RandomizedResponse(1.0);
    assertThat(rr.truthProbability() / (1 - rr.truthProbability())).isCloseTo(Math.E, within(1e-12));
    SecureNoise noise = seeded(9);
    int trials = 400;
    int n = 2000;
    int trueUps = 600; // π = 0.3
    double sum = 0;
    double sq = 0;
    for (int t = 0; t < trials; t++) {
      long reported = 0;
      for (int i = 0; i < n; i++) if (rr.respond(i < trueUps, noise)) reported++;
      double est = rr.estimate(reported, n).rate();
      sum += est;
      sq += (est - 0.3) * (est - 0.3);
    }
    double sd = rr.noiseStddev(n);
    assertThat(sum / trials).isCloseTo(0.3, within(4 * sd / Math.sqrt(trials)));
    assertThat(Math.sqrt(sq / trials)).isCloseTo(sd, within(0.12 * sd)); // the RMSE's sampling error over 400 trials is ~3.5%
  }

  @Test void centralBeatsLocalAtTheSameEpsilon() {
    LocalVsCentral.Comparison c = LocalVsCentral.compare(1.0, 1000, 0.3, 200, seeded(10));
    assertThat(c.centralRmse()).isCloseTo(c.centralSd(), within(0.25 * c.centralSd()));
    assertThat(c.localRmse()).isCloseTo(c.localSd(), within(0.2 * c.localSd()));
    assertThat(c.ratio()).isGreaterThan(10); // analytic: 0.0309 / 0.00141 ≈ 22
  }
}

package org.rlhf4j.privacy.dp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Differentially private releases of a dataset's aggregate statistics — label counts, win rates, thumbs-up rates —
 * each charged to the dataset's budget in a {@link PrivacyLedger} and returned as a {@link DpFigure} carrying its ε.
 * Neighbouring datasets differ in one record (one label / one comparison / one thumbs vote). Counts and histograms
 * use add-or-remove neighbours (L1 sensitivity 1; a histogram's bins are disjoint, so the whole histogram costs ε);
 * rates treat the number of trials {@code n} as public (replace-one neighbours: the numerator moves by at most 1,
 * a tie counting half) and are clamped to [0, 1]. Noise: discrete Laplace ({@link Mechanism.Laplace}).
 */
public final class DpStatistics {
  private final PrivacyLedger ledger;
  private final String dataset;
  private final SecureNoise noise;

  public DpStatistics(PrivacyLedger ledger, String dataset, SecureNoise noise) {
    if (ledger == null || dataset == null || noise == null) throw new IllegalArgumentException("ledger, dataset and noise must not be null");
    this.ledger = ledger;
    this.dataset = dataset;
    this.noise = noise;
  }

  /** A noisy count. */
  public DpFigure count(String name, long trueCount, double epsilon) {
    Mechanism.Laplace m = new Mechanism.Laplace(epsilon, 1, noise);
    return ledger.charge(dataset, name, m.cost(), () -> new DpFigure(name, m.releaseCount(trueCount), m.cost(), m.noiseStddev()));
  }

  /** Noisy counts per category, disjoint bins: ε for the whole histogram. */
  public Map<String, DpFigure> histogram(String name, Map<String, Long> counts, double epsilon) {
    Mechanism.Laplace m = new Mechanism.Laplace(epsilon, 1, noise);
    return ledger.charge(dataset, name, m.cost(), () -> {
      Map<String, DpFigure> out = new LinkedHashMap<>();
      counts.forEach((k, v) -> out.put(k, new DpFigure(name + "[" + k + "]", m.releaseCount(v), m.cost(), m.noiseStddev())));
      return out;
    });
  }

  /**
   * A rate successes/n (win rate with ties as 0.5, thumbs-up rate) with n public: noise of sensitivity 1 on the
   * numerator (doubled so half-wins stay on the integer grid), divided by n, clamped to [0, 1].
   */
  public DpFigure rate(String name, double successes, long n, double epsilon) {
    if (n <= 0) throw new IllegalArgumentException(name + ": n must be positive, got " + n);
    if (!(successes >= 0 && successes <= n) || Math.rint(2 * successes) != 2 * successes) {
      throw new IllegalArgumentException(name + ": successes must be a multiple of 0.5 in [0, n], got " + successes);
    }
    Mechanism.Laplace m = new Mechanism.Laplace(epsilon, 2, noise); // on 2·successes, which moves by at most 2
    return ledger.charge(dataset, name, m.cost(), () -> {
      double v = m.releaseCount(Math.round(2 * successes)) / (2.0 * n);
      return new DpFigure(name, Math.min(1, Math.max(0, v)), m.cost(), m.noiseStddev() / (2.0 * n));
    });
  }
}

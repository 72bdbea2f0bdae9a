package org.rlhf4j.training.dp;

import org.rlhf4j.privacy.accounting.Accountant;

/**
 * DP-SGD settings: Gaussian noise of standard deviation {@code noiseMultiplier · clipNorm} on the sum of per-example
 * gradients clipped to L2 norm {@code clipNorm}, Poisson sampling of each of the {@code datasetSize} examples with
 * probability {@code expectedBatchSize / datasetSize}, ε reported for {@code delta} by the {@code accountant}
 * ("rdp" or "prv", {@link Accountant#named}).
 */
public record DpSgdConfig(double noiseMultiplier, double clipNorm, double delta, int expectedBatchSize, int datasetSize, long seed,
    String accountant) {
  public DpSgdConfig {
    if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) throw new IllegalArgumentException("--dp-noise must be >= 0, got " + noiseMultiplier);
    if (!(clipNorm > 0)) throw new IllegalArgumentException("--dp-clip must be positive, got " + clipNorm);
    if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("--dp-delta must be in (0, 1), got " + delta);
    if (datasetSize < 1) throw new IllegalArgumentException("DP-SGD needs a non-empty dataset");
    if (expectedBatchSize < 1 || expectedBatchSize > datasetSize) {
      throw new IllegalArgumentException("expected batch size must be in [1, " + datasetSize + "], got " + expectedBatchSize);
    }
    if (!"rdp".equals(accountant) && !"prv".equals(accountant)) {
      throw new IllegalArgumentException("--dp-accountant must be rdp or prv, got '" + accountant + "'");
    }
  }

  /** With the RDP accountant. */
  public DpSgdConfig(double noiseMultiplier, double clipNorm, double delta, int expectedBatchSize, int datasetSize, long seed) {
    this(noiseMultiplier, clipNorm, delta, expectedBatchSize, datasetSize, seed, "rdp");
  }

  /** The same noise, clip, δ and accountant for a dataset of {@code n} examples at expected batch min(batch, n). */
  public DpSgdConfig forData(int n, int batch, long seed) {
    return new DpSgdConfig(noiseMultiplier, clipNorm, delta, Math.min(batch, Math.max(1, n)), n, seed, accountant);
  }

  /** The same settings accounted by {@code name} ("rdp" or "prv"). */
  public DpSgdConfig withAccountant(String name) {
    return new DpSgdConfig(noiseMultiplier, clipNorm, delta, expectedBatchSize, datasetSize, seed, name);
  }

  /** Poisson sampling rate q. */
  public double sampleRate() { return expectedBatchSize / (double) datasetSize; }
}

package org.rlhf4j.training.dp;

/**
 * DP-SGD settings: Gaussian noise of standard deviation {@code noiseMultiplier · clipNorm} on the sum of per-example
 * gradients clipped to L2 norm {@code clipNorm}, Poisson sampling of each of the {@code datasetSize} examples with
 * probability {@code expectedBatchSize / datasetSize}, ε reported for {@code delta}.
 */
public record DpSgdConfig(double noiseMultiplier, double clipNorm, double delta, int expectedBatchSize, int datasetSize, long seed) {
  public DpSgdConfig {
    if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) throw new IllegalArgumentException("--dp-noise must be >= 0, got " + noiseMultiplier);
    if (!(clipNorm > 0)) throw new IllegalArgumentException("--dp-clip must be positive, got " + clipNorm);
    if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("--dp-delta must be in (0, 1), got " + delta);
    if (datasetSize < 1) throw new IllegalArgumentException("DP-SGD needs a non-empty dataset");
    if (expectedBatchSize < 1 || expectedBatchSize > datasetSize) {
      throw new IllegalArgumentException("expected batch size must be in [1, " + datasetSize + "], got " + expectedBatchSize);
    }
  }

  /** The same noise, clip and δ for a dataset of {@code n} examples at expected batch min(batch, n). */
  public DpSgdConfig forData(int n, int batch, long seed) {
    return new DpSgdConfig(noiseMultiplier, clipNorm, delta, Math.min(batch, Math.max(1, n)), n, seed);
  }

  /** Poisson sampling rate q. */
  public double sampleRate() { return expectedBatchSize / (double) datasetSize; }
}

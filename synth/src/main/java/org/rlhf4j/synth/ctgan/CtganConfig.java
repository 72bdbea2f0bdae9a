package org.rlhf4j.synth.ctgan;

import java.util.List;

/**
 * CTGAN's settings; {@link #defaults()} are those of the reference implementation (sdv-dev/CTGAN): embedding 128,
 * generator and discriminator (256, 256), Adam lr 2e-4 with betas (0.5, 0.9) and weight decay 1e-6, batch 500,
 * pac 10, one discriminator step per generator step, gradient-penalty weight 10, Gumbel-softmax temperature 0.2,
 * 300 epochs. {@code generatorEma} is the decay of a Polyak average of the generator's weights ({@code GeneratorEma}),
 * which is then what the run samples and saves; 0 (the default) keeps none.
 */
public record CtganConfig(int epochs, int batchSize, int embeddingDim, List<Integer> generatorDims,
    List<Integer> discriminatorDims, double generatorLr, double discriminatorLr, double weightDecay, int pac,
    int discriminatorSteps, double gradientPenalty, double tau, long seed, int checkpointEvery,
    double generatorEma) {
  public CtganConfig {
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("embeddingDim", embeddingDim);
    positive("pac", pac);
    positive("discriminatorSteps", discriminatorSteps);
    positive("checkpointEvery", checkpointEvery);
    generatorDims = List.copyOf(generatorDims);
    discriminatorDims = List.copyOf(discriminatorDims);
    if (generatorDims.isEmpty() || discriminatorDims.isEmpty()) throw new IllegalArgumentException("generator and discriminator need at least one layer");
    for (int d : generatorDims) positive("generatorDims", d);
    for (int d : discriminatorDims) positive("discriminatorDims", d);
    if (batchSize % pac != 0) throw new IllegalArgumentException("batchSize " + batchSize + " must be a multiple of pac " + pac);
    if (!(generatorLr > 0) || !(discriminatorLr > 0)) throw new IllegalArgumentException("learning rates must be > 0");
    if (!(weightDecay >= 0) || !(gradientPenalty >= 0) || !(tau > 0)) {
      throw new IllegalArgumentException("weightDecay and gradientPenalty must be >= 0, tau > 0");
    }
    if (!(generatorEma == 0 || generatorEma > 0 && generatorEma < 1)) {
      throw new IllegalArgumentException("generatorEma must be 0 (off) or a decay in (0, 1) such as 0.999, got " + generatorEma);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
  }

  public static CtganConfig defaults() {
    return new CtganConfig(300, 500, 128, List.of(256, 256), List.of(256, 256), 2e-4, 2e-4, 1e-6, 10, 1, 10, 0.2, 0, 10, 0);
  }

  public CtganConfig withEpochs(int e) {
    return new CtganConfig(e, batchSize, embeddingDim, generatorDims, discriminatorDims, generatorLr, discriminatorLr,
        weightDecay, pac, discriminatorSteps, gradientPenalty, tau, seed, checkpointEvery, generatorEma);
  }

  public CtganConfig withSeed(long s) {
    return new CtganConfig(epochs, batchSize, embeddingDim, generatorDims, discriminatorDims, generatorLr, discriminatorLr,
        weightDecay, pac, discriminatorSteps, gradientPenalty, tau, s, checkpointEvery, generatorEma);
  }

  public CtganConfig withBatch(int b, int p) {
    return new CtganConfig(epochs, b, embeddingDim, generatorDims, discriminatorDims, generatorLr, discriminatorLr,
        weightDecay, p, discriminatorSteps, gradientPenalty, tau, seed, checkpointEvery, generatorEma);
  }

  public CtganConfig withCheckpointEvery(int n) {
    return new CtganConfig(epochs, batchSize, embeddingDim, generatorDims, discriminatorDims, generatorLr, discriminatorLr,
        weightDecay, pac, discriminatorSteps, gradientPenalty, tau, seed, n, generatorEma);
  }

  public CtganConfig withGeneratorEma(double decay) {
    return new CtganConfig(epochs, batchSize, embeddingDim, generatorDims, discriminatorDims, generatorLr, discriminatorLr,
        weightDecay, pac, discriminatorSteps, gradientPenalty, tau, seed, checkpointEvery, decay);
  }

  /** The settings a checkpoint depends on (all but epochs and checkpointEvery): a resumed run must match them. */
  public String stamp() {
    return batchSize + "|" + embeddingDim + "|" + generatorDims + "|" + discriminatorDims + "|" + generatorLr + "|"
        + discriminatorLr + "|" + weightDecay + "|" + pac + "|" + discriminatorSteps + "|" + gradientPenalty + "|" + tau + "|" + seed
        + (generatorEma == 0 ? "" : "|ema " + generatorEma); // runs from before the average keep their stamp
  }
}

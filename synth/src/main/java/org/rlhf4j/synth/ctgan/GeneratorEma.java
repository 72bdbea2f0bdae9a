package org.rlhf4j.synth.ctgan;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/**
 * A Polyak (exponential moving) average of the generator's weights, as many GAN codebases keep one (Yazici et al.
 * 2019, "The unusual effectiveness of averaging in GAN training"): after every generator update
 * {@code average = decay * average + (1 - decay) * live}, starting from the live weights at initialisation. The live
 * generator trains as it would without it; the average is what the run samples, selects, snapshots and saves, and
 * it is part of every checkpoint ({@link #FILE}), so a resumed run continues the same average.
 */
final class GeneratorEma {
  static final String FILE = "generator_ema.safetensors";

  private final double decay;
  private final CtganGenerator live, average;

  /** {@code average} (a generator of the same shape) is overwritten with {@code live}'s weights. */
  GeneratorEma(double decay, CtganGenerator live, CtganGenerator average) {
    if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("generator EMA decay must be in (0, 1), got " + decay);
    this.decay = decay;
    this.live = live;
    this.average = average;
    try (NativeScope scope = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      average.parameters().forEach((name, p) -> p.copy_(live.parameters().get(name)));
    }
  }

  /** The averaged generator (what the run's model wraps). */
  CtganGenerator average() { return average; }

  /** One update after a generator step. */
  void update() { update(average.parameters(), live.parameters(), decay); }

  /** {@code average[k] = decay * average[k] + (1 - decay) * live[k]} for every tensor, in place, without a graph. */
  static void update(Map<String, Tensor> average, Map<String, Tensor> live, double decay) {
    try (NativeScope scope = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      average.forEach((name, a) -> a.mul_(Tensors.scalar(decay)).add_(live.get(name), Tensors.scalar(1 - decay)));
    }
  }
}

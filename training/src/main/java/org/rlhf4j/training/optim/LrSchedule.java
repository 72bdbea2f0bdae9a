package org.rlhf4j.training.optim;

/**
 * Learning rate per optimizer step: linear warmup then {@link Schedule} decay.
 *
 * <p>Steps count from 1 (the first optimizer update uses {@code lr(1)}). During warmup
 * {@code lr(s) = peak * s / warmupSteps}, so the first step is not wasted at lr 0 and step
 * {@code warmupSteps} reaches the peak. After warmup the decay runs over the remaining
 * {@code totalSteps - warmupSteps} steps and reaches {@code peak * minLrRatio} at step
 * {@code totalSteps}; steps past the end keep that floor.
 */
public record LrSchedule(Schedule kind, double peakLr, double minLrRatio, int warmupSteps, int totalSteps) {

  public LrSchedule {
    if (kind == null) throw new IllegalArgumentException("schedule kind is required");
    if (!(peakLr > 0) || !Double.isFinite(peakLr)) throw new IllegalArgumentException("peakLr must be > 0 and finite, got " + peakLr);
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new IllegalArgumentException("minLrRatio must be in [0, 1], got " + minLrRatio);
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    if (totalSteps < 1) throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
  }

  /** The learning rate of optimizer step {@code step} (1-based). */
  public double lr(int step) {
    if (step < 1) throw new IllegalArgumentException("step must be >= 1, got " + step);
    if (step <= warmupSteps) return peakLr * step / warmupSteps;
    if (kind == Schedule.CONSTANT) return peakLr;
    double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
    double floor = peakLr * minLrRatio;
    double shape = switch (kind) {
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * progress));
      case LINEAR -> 1 - progress;
      case CONSTANT -> 1;
    };
    return floor + (peakLr - floor) * shape;
  }
}

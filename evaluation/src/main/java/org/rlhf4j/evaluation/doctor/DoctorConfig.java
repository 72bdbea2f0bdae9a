package org.rlhf4j.evaluation.doctor;

/**
 * Thresholds of the {@link RunDoctor}. Window sizes count observations of the metric concerned (a metric logged
 * every 10 steps fills a 20-observation window in 200 steps).
 *
 * @param window               observations per trend window (reward hacking, KL acceleration, length and entropy
 *                             baselines, chosen log-probs)
 * @param smoothing            observations in the trailing mean compared with fixed thresholds (repetition, KL,
 *                             ratio, entropy, value loss, length)
 * @param noiseZ               a trend change must exceed this many standard errors of the difference of two window
 *                             means; noise is estimated from the step-to-step differences (robust, trend-free)
 * @param hackingZ             the same for reward hacking (gold falling while the proxy rises), which is checked on
 *                             a gold reward that is usually noisy and short (one value per PPO iteration)
 * @param minGoldDrop          smallest fall of the gold reward (absolute, window means) that counts as hacking
 * @param minProxyRise         smallest rise of the proxy reward over the same span that counts as hacking
 * @param lengthGrowthRatio    LENGTH_DRIFT when mean length reaches this multiple of the starting length (&gt; 1)
 * @param lengthShrinkRatio    ... or falls to this fraction of it (0..1)
 * @param maxRepetition        REPETITION when the repeated n-gram fraction exceeds this (0..1)
 * @param maxKl                KL_BLOWUP when the smoothed KL exceeds this (nats, in the run's own KL units)
 * @param klGrowthFactor       KL_BLOWUP when, over the last four windows, each window-to-window KL rise is at least
 *                             this many times the previous one (the first significant): super-linear growth (&gt; 1)
 * @param entropyCollapseRatio ENTROPY_COLLAPSE when smoothed entropy falls below this fraction of the starting
 *                             entropy (0..1)
 * @param valueLossFactor      VALUE_LOSS_EXPLOSION when smoothed value loss exceeds this multiple of the median of
 *                             all value losses so far (&gt; 1)
 * @param maxRatioDeviation    RATIO_DRIFT when |smoothed val/ratio - 1| exceeds this (&gt; 0)
 * @param minChosenLogpsDrop   smallest fall of {@code logps/chosen} (nats, window means) that counts
 * @param minMarginRise        smallest rise of {@code rewards/margins} over the same span that counts
 */
public record DoctorConfig(
    int window, int smoothing, double noiseZ, double hackingZ,
    double minGoldDrop, double minProxyRise,
    double lengthGrowthRatio, double lengthShrinkRatio,
    double maxRepetition,
    double maxKl, double klGrowthFactor,
    double entropyCollapseRatio,
    double valueLossFactor,
    double maxRatioDeviation,
    double minChosenLogpsDrop, double minMarginRise) {

  public DoctorConfig {
    if (window < 3) throw new IllegalArgumentException("window must be >= 3, got " + window);
    if (smoothing < 1 || smoothing > window) {
      throw new IllegalArgumentException("smoothing must be in [1, window=" + window + "], got " + smoothing);
    }
    nonNegative("noiseZ", noiseZ);
    nonNegative("hackingZ", hackingZ);
    nonNegative("minGoldDrop", minGoldDrop);
    nonNegative("minProxyRise", minProxyRise);
    above("lengthGrowthRatio", lengthGrowthRatio, 1);
    if (!(lengthShrinkRatio > 0 && lengthShrinkRatio < 1)) {
      throw new IllegalArgumentException("lengthShrinkRatio must be in (0, 1), got " + lengthShrinkRatio);
    }
    if (!(maxRepetition > 0 && maxRepetition < 1)) {
      throw new IllegalArgumentException("maxRepetition must be in (0, 1), got " + maxRepetition);
    }
    above("maxKl", maxKl, 0);
    above("klGrowthFactor", klGrowthFactor, 1);
    if (!(entropyCollapseRatio > 0 && entropyCollapseRatio < 1)) {
      throw new IllegalArgumentException("entropyCollapseRatio must be in (0, 1), got " + entropyCollapseRatio);
    }
    above("valueLossFactor", valueLossFactor, 1);
    above("maxRatioDeviation", maxRatioDeviation, 0);
    nonNegative("minChosenLogpsDrop", minChosenLogpsDrop);
    nonNegative("minMarginRise", minMarginRise);
  }

  /**
   * Defaults: 20-observation windows, 5-observation smoothing, 4 standard errors, 3 for reward hacking (on 60 noisy
   * observations, as a 60-iteration PPO run logs, 3 raises hacking on a flat gold curve 2% of the time and catches
   * a 0.17 fall 70% of the time; 4: 0.3% and 38%; see HackingFalseAlarmTest); hacking needs a gold fall and a
   * proxy rise of at least 0.05; length x1.5 or x0.5; repetition 0.3; KL 10 nats or doubling growth; entropy below
   * 25% of the start; value loss 10x its median; ratio outside [0.8, 1.2]; DPO chosen log-probs down 2 nats while
   * the margin rises 0.5.
   */
  public static DoctorConfig defaults() {
    return new DoctorConfig(20, 5, 4.0, 3.0, 0.05, 0.05, 1.5, 0.5, 0.3, 10.0, 2.0, 0.25, 10.0, 0.2, 2.0, 0.5);
  }

  /** A copy with another trend window (smoothing is capped at the new window). */
  public DoctorConfig withWindow(int newWindow) {
    return new DoctorConfig(newWindow, Math.min(smoothing, Math.max(1, newWindow)), noiseZ, hackingZ, minGoldDrop,
        minProxyRise, lengthGrowthRatio, lengthShrinkRatio, maxRepetition, maxKl, klGrowthFactor,
        entropyCollapseRatio, valueLossFactor, maxRatioDeviation, minChosenLogpsDrop, minMarginRise);
  }

  /** A copy with another KL threshold. */
  public DoctorConfig withMaxKl(double newMaxKl) {
    return new DoctorConfig(window, smoothing, noiseZ, hackingZ, minGoldDrop, minProxyRise, lengthGrowthRatio,
        lengthShrinkRatio, maxRepetition, newMaxKl, klGrowthFactor, entropyCollapseRatio, valueLossFactor,
        maxRatioDeviation, minChosenLogpsDrop, minMarginRise);
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
  }

  private static void above(String name, double v, double bound) {
    if (!(v > bound) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > " + bound + ", got " + v);
    }
  }
}

package org.rlhf4j.evaluation.doctor;

import java.util.Locale;

/** The judging rules of the single-metric detectors, each with its plain-English explanation. */
final class Rules {
  private Rules() {}

  static SmoothedDetector.Rule repetition(DoctorConfig c) {
    return (v, s, step) -> v <= c.maxRepetition() ? null : fmt(
        "Responses repeat themselves: %.0f%% of n-grams are repeats (mean of the last %d observations, limit"
            + " %.0f%%). The policy is likely exploiting the reward with loops; add a repetition penalty or"
            + " raise the KL coefficient.", 100 * v, c.smoothing(), 100 * c.maxRepetition());
  }

  static SmoothedDetector.Rule ratio(DoctorConfig c) {
    return (v, s, step) -> Math.abs(v - 1) <= c.maxRatioDeviation() ? null : fmt(
        "The mean importance ratio val/ratio is %.3f (last %d observations), outside [%.2f, %.2f]: consecutive"
            + " policies differ too much. Lower the learning rate, use fewer PPO epochs or smaller clip range.",
        v, c.smoothing(), 1 - c.maxRatioDeviation(), 1 + c.maxRatioDeviation());
  }

  /** Against the mean of the first {@code window} observations (the baseline); the smoothed tail must follow it. */
  static SmoothedDetector.Rule length(DoctorConfig c) {
    return (v, s, step) -> {
      if (s.size() < c.window() + c.smoothing()) return null;
      double start = s.mean(0, c.window());
      if (!(start > 0)) return null;
      double r = v / start;
      if (r >= c.lengthGrowthRatio()) {
        return fmt("Mean response length grew from %.1f (first %d observations) to %.1f (x%.2f, limit x%.2f):"
            + " the policy may be padding answers to please the reward model. Compare length-controlled win"
            + " rates, add a length penalty or raise the KL coefficient.", start, c.window(), v, r,
            c.lengthGrowthRatio());
      }
      if (r <= c.lengthShrinkRatio()) {
        return fmt("Mean response length shrank from %.1f (first %d observations) to %.1f (x%.2f, limit x%.2f):"
            + " the policy may be ending early to dodge penalties (check val/num_eos_tokens and truncation).",
            start, c.window(), v, r, c.lengthShrinkRatio());
      }
      return null;
    };
  }

  static SmoothedDetector.Rule entropy(DoctorConfig c) {
    return (v, s, step) -> {
      if (s.size() < c.window() + c.smoothing()) return null;
      double start = s.mean(0, c.window());
      if (!(start > 0) || v >= c.entropyCollapseRatio() * start) return null;
      return fmt("Policy entropy fell from %.3f (first %d observations) to %.3f, below %.0f%% of the start: the"
          + " policy has become nearly deterministic and stops exploring. Raise the KL coefficient or"
          + " sampling temperature, or lower the learning rate.", start, c.window(), v,
          100 * c.entropyCollapseRatio());
    };
  }

  /** Against the running median of every earlier observation (outside the smoothing window). */
  static SmoothedDetector.Rule valueLoss(DoctorConfig c) {
    RunningMedian median = new RunningMedian();
    int[] absorbed = {0};
    return (v, s, step) -> {
      while (absorbed[0] < s.size() - c.smoothing()) median.add(s.value(absorbed[0]++));
      if (median.size() < c.window()) return null;
      double typical = median.median();
      if (!(typical > 0) || v <= c.valueLossFactor() * typical) return null;
      return fmt("Value loss is %.4g (last %d observations), %.1f times its typical level %.4g: the value head is"
          + " diverging. Lower the learning rate, clip the value loss (cliprange_value) or whiten/scale rewards.",
          v, c.smoothing(), v / typical, typical);
    };
  }

  /**
   * Smoothed KL above {@code maxKl}, or sustained acceleration: over the last four windows each rise is at least
   * {@code klGrowthFactor} times the previous one (exponential-like growth; a kink such as warm-up followed by a
   * linear rise accelerates only once and does not count), the first rise being significant.
   */
  static SmoothedDetector.Rule kl(DoctorConfig c) {
    return (v, s, step) -> {
      if (v > c.maxKl()) {
        return fmt("KL to the reference policy is %.3g (last %d observations), above the limit %.3g: the policy"
            + " has drifted far from the reference. Raise the KL coefficient (or use an adaptive KL controller)"
            + " or lower the learning rate.", v, c.smoothing(), c.maxKl());
      }
      int w = c.window();
      int n = s.size();
      if (n < 4 * w) return null;
      double[] d = new double[3]; // rises between consecutive windows of the last four, oldest first
      for (int k = 0; k < 3; k++) d[k] = s.mean(n - (3 - k) * w, n - (2 - k) * w) - s.mean(n - (4 - k) * w, n - (3 - k) * w);
      double se = s.diffStandardError(w);
      boolean significant = d[0] > c.noiseZ() * se && d[1] - d[0] > c.noiseZ() * Math.sqrt(3) * se;
      boolean sustained = d[1] >= c.klGrowthFactor() * d[0] && d[2] >= c.klGrowthFactor() * d[1];
      if (!significant || !sustained) return null;
      return fmt("KL is growing super-linearly: its rise per %d observations went %.3g, %.3g, %.3g (each at least"
          + " x%.1f the one before), now %.3g. It is likely to blow up; raise the KL coefficient or lower the"
          + " learning rate.", w, d[0], d[1], d[2], c.klGrowthFactor(), v);
    };
  }

  static String hacking(DivergenceDetector.Divergence d) {
    return fmt("Reward hacking: the gold reward peaked at %.3f, started falling around step %d and was %.3f by step %d, while"
        + " the proxy reward rose from %.3f to %.3f (window means). The policy is exploiting the reward model;"
        + " keep the checkpoint from the peak, raise the KL coefficient, or retrain the reward model on the"
        + " policy's own samples.", d.fallPeak(), d.onset(), d.fallNow(), d.step(), d.riseAtPeak(), d.riseNow());
  }

  static String chosenLogps(DivergenceDetector.Divergence d) {
    return fmt("DPO chosen log-probs fall: logps/chosen peaked at %.2f, started falling around step %d and was %.2f by step %d"
        + " while the reward margin rose from %.3f to %.3f. The model widens the margin by pushing both responses"
        + " down, which tends to degrade generations; lower the learning rate or beta, or add an SFT/NLL term"
        + " on chosen responses (e.g. RPO).", d.fallPeak(), d.onset(), d.fallNow(), d.step(), d.riseAtPeak(),
        d.riseNow());
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

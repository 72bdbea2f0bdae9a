package org.rlhf4j.evaluation.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Watches a PPO / DPO / RLOO / GRPO run through its logged metrics and raises {@link Flag}s for known
 * pathologies (see {@link FlagKind}; accepted metric names in {@link MetricNames}). Each kind is raised at most
 * once, in the order detected. Use it live ({@link #observe} once per step) or on a finished run's
 * {@code metrics.jsonl} ({@link #examine}). Metrics a run does not log simply disable the checks that need them.
 */
public final class RunDoctor {
  private final List<Detector> detectors;
  private final List<Flag> flags = new ArrayList<>();
  private final Set<FlagKind> raised = EnumSet.noneOf(FlagKind.class);

  public RunDoctor(DoctorConfig c) {
    Objects.requireNonNull(c, "config");
    int s = c.smoothing();
    detectors = List.of(
        new DivergenceDetector(FlagKind.REWARD_HACKING, MetricNames.PROXY_REWARD, MetricNames.GOLD_REWARD,
            c.window(), c.hackingZ(), c.minGoldDrop(), c.minProxyRise(), Rules::hacking),
        new SmoothedDetector(FlagKind.LENGTH_DRIFT, MetricNames.LENGTH, s, false, Rules.length(c)),
        new SmoothedDetector(FlagKind.REPETITION, MetricNames.REPETITION, s, false, Rules.repetition(c)),
        new SmoothedDetector(FlagKind.KL_BLOWUP, MetricNames.KL, s, true, Rules.kl(c)),
        new SmoothedDetector(FlagKind.ENTROPY_COLLAPSE, MetricNames.ENTROPY, s, false, Rules.entropy(c)),
        new SmoothedDetector(FlagKind.VALUE_LOSS_EXPLOSION, MetricNames.VALUE_LOSS, s, true, Rules.valueLoss(c)),
        new SmoothedDetector(FlagKind.RATIO_DRIFT, MetricNames.RATIO, s, true, Rules.ratio(c)),
        new DivergenceDetector(FlagKind.CHOSEN_LOGPS_FALLING, MetricNames.MARGINS, MetricNames.CHOSEN_LOGPS,
            c.window(), c.noiseZ(), c.minChosenLogpsDrop(), c.minMarginRise(), Rules::chosenLogps));
  }

  /** Feeds one step's metrics (any subset of names; NaN / infinite values allowed and diagnosed). */
  public void observe(long step, Map<String, Double> metrics) {
    Objects.requireNonNull(metrics, "metrics");
    for (Detector d : detectors) {
      if (raised.contains(d.kind())) continue;
      Flag f = d.observe(step, metrics);
      if (f != null) {
        raised.add(d.kind());
        flags.add(f);
      }
    }
  }

  /** Flags raised so far, in the order they were detected. */
  public List<Flag> flags() {
    return List.copyOf(flags);
  }

  /**
   * Reads a whole {@code metrics.jsonl} (one JSON object per line with a numeric {@code step}; blank lines are
   * skipped; Python's {@code NaN} / {@code Infinity} literals are accepted; non-numeric fields are ignored) and
   * returns its flags.
   *
   * @throws IllegalArgumentException naming the file and line for malformed content
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static List<Flag> examine(Path metricsJsonl, DoctorConfig c) {
    RunDoctor doctor = new RunDoctor(c);
    MetricsJsonl.forEach(metricsJsonl, doctor::observe);
    return doctor.flags();
  }
}

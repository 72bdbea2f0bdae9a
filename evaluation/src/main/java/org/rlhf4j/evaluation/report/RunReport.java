package org.rlhf4j.evaluation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.MetricsLog;

/**
 * The small report of one training run, from its {@code metrics.jsonl} and the run doctor's flags: loss, rewards,
 * KL and entropy, response length and learning-rate curves (whichever of our or TRL's metric names the run logged),
 * the flags, and the last logged values. Every training command writes it at the end; {@code rlhf4j report RUN}
 * writes it for any run folder.
 *
 * <pre>{@code
 * Path html = RunReport.write(runDir, RunDoctor.examine(runDir.resolve("metrics.jsonl"), DoctorConfig.defaults()));
 * }</pre>
 */
public final class RunReport {
  /** Chart title -> the metrics it draws when logged (ours and TRL's names). */
  private static final Map<String, List<String>> CHARTS = charts();

  private RunReport() {}

  private static Map<String, List<String>> charts() {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put("Loss", List.of("loss", "eval/loss", "nll_loss", "pg_loss", "vf_loss", "loss/policy_avg", "loss/value_avg"));
    c.put("Reward", List.of("objective/scores", "objective/rlhf_reward", "reward", "rewards/chosen", "rewards/rejected",
        "rewards/margins", "eval/proxy_reward", "eval/gold_reward", "eval/judge_reward", "chosen_mean", "rejected_mean", "margin"));
    c.put("Accuracy", List.of("rewards/accuracies", "accuracy", "eval/accuracy", "mean_token_accuracy"));
    c.put("KL to the reference and entropy", List.of("objective/kl", "kl", "objective/entropy", "entropy"));
    c.put("Response length", List.of("response_length_mean", "completions/mean_length"));
    c.put("Learning rate", List.of("learning_rate"));
    return c;
  }

  /** Writes {@code runDir/report.html} (and its chart PNGs) from {@code runDir/metrics.jsonl}; returns the HTML file. */
  public static Path write(Path runDir, List<Flag> flags) throws IOException {
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("run folder " + runDir + " has no metrics.jsonl");
    return build(runDir.toAbsolutePath().normalize().getFileName() + "", MetricsLog.read(file), flags).write(runDir);
  }

  /** The report of {@code log} titled after the run. */
  public static Report build(String run, MetricsLog log, List<Flag> flags) {
    Report r = new Report("Training run " + run);
    if (log.rows().isEmpty()) return r.section("No metrics", "metrics.jsonl has no lines yet.");
    double[] steps = log.steps();
    r.section("Run", log.rows().size() + " logged lines, steps " + (long) steps[0] + " to " + (long) steps[steps.length - 1]
        + ". Curves are the run's metrics.jsonl; flags are the run doctor's.");
    for (var chart : CHARTS.entrySet()) {
      List<LineChart.Series> series = new ArrayList<>();
      for (String name : chart.getValue()) {
        double[] y = log.column(name);
        if (java.util.Arrays.stream(y).anyMatch(Double::isFinite)) series.add(new LineChart.Series(name, steps, y));
      }
      if (!series.isEmpty()) r.add(new LineChart(chart.getKey(), "step", chart.getKey().toLowerCase(java.util.Locale.ROOT), series));
    }
    List<List<Object>> flagRows = new ArrayList<>();
    for (Flag f : flags) flagRows.add(List.of(f.kind().name().toLowerCase(java.util.Locale.ROOT), f.step(), f.explanation()));
    if (flagRows.isEmpty()) r.section("Run doctor", "No flags: none of reward hacking, length drift, repetition, KL blow-up, "
        + "entropy collapse, value-loss explosion, a ratio far from 1 or falling chosen log-probs was seen.");
    else r.add(new Table("Run doctor flags", List.of("flag", "from step", "explanation"), flagRows));
    List<List<Object>> last = new ArrayList<>();
    MetricsLog.Row lastRow = log.rows().get(log.rows().size() - 1);
    lastRow.metrics().forEach((k, v) -> last.add(List.of(k, v)));
    if (!last.isEmpty()) r.add(new Table("Last logged line (step " + lastRow.step() + ")", List.of("metric", "value"), last));
    return r;
  }
}

package org.rlhf4j.demo.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.demo.world.Family;
import org.rlhf4j.evaluation.LengthControlledWinRate;
import org.rlhf4j.evaluation.WinRate;
import org.rlhf4j.evaluation.WinRates;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.report.Charts;
import org.rlhf4j.evaluation.report.Report;
import org.rlhf4j.evaluation.report.SummaryJson;
import org.rlhf4j.evaluation.report.Table;

/** Turns the demo's measurements into {@code summary.json} and {@code report.html} with charts. */
final class DemoReport {
  private static final double TIE = 1e-6;
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final Report report = new Report("rlhf4j demo: RLHF end to end on a laptop CPU");
  private final Map<String, WinRate> goldWins = new LinkedHashMap<>();
  private final Map<String, WinRate> proxyWins = new LinkedHashMap<>();

  void config(DemoConfig c, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", c.seed());
    m.put("quick", c.quick());
    m.put("hackable", c.hackable());
    m.put("wall_seconds", Math.round(seconds * 10) / 10.0);
    // deterministic on one machine only: another CPU generation gives other numbers for the same seed
    org.rlhf4j.runtime.Cpu cpu = org.rlhf4j.runtime.Cpu.detect();
    m.put("cpu", cpu.model());
    m.put("cores", cpu.cores());
    summary.put("run", m);
  }

  void put(String key, Object value) { summary.put(key, value); }

  /** The gold win rate vs SFT recorded for {@code key} by {@link #policy}. */
  double goldWinRate(String key) { return goldWins.get(key).rate(); }

  /** Win rates of {@code policy} over the SFT baseline (gold and proxy), length-controlled win rate, per-family metrics. */
  void policy(String key, PolicyReport policy, PolicyReport sft) {
    WinRate gold = WinRates.compare(policy.gold(), sft.gold(), TIE);
    WinRate proxy = WinRates.compare(policy.proxy(), sft.proxy(), TIE);
    LengthControlledWinRate lc = LengthControlledWinRate.of(WinRates.outcomes(policy.gold(), sft.gold(), TIE), policy.lengths(), sft.lengths());
    goldWins.put(key, gold);
    proxyWins.put(key, proxy);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gold_win_rate_vs_sft", gold.rate());
    m.put("gold_win_rate_vs_sft_ci", List.of(gold.lo(), gold.hi()));
    m.put("proxy_win_rate_vs_sft", proxy.rate());
    m.put("lc_gold_win_rate_vs_sft", lc.winRate().rate());
    m.put("mean_gold_reward", policy.meanGold());
    m.put("mean_proxy_reward", policy.meanProxy());
    m.put("kl", policy.kl());
    m.put("mean_length", policy.meanLength());
    m.put("per_family", policy.perFamily());
    List<Map<String, String>> samples = new ArrayList<>();
    for (int i = 0; i < Math.min(5, policy.prompts().size()); i++) {
      samples.add(Map.of("prompt", policy.prompts().get(i).text(), "response", policy.responses().get(i),
          "gold", String.format("%.2f", policy.gold()[i])));
    }
    m.put("samples", samples);
    summary.put(key, m);
  }

  private Table armsTable;
  private final Map<String, WinRate> redTeamRates = new LinkedHashMap<>();

  /**
   * Human- and AI-feedback arms side by side: gold win rate vs SFT, harmful-request accuracy, helpfulness on the
   * other families (accuracy and mean gold reward), labels bought from the simulated raters, red-team attack success.
   */
  void arms(Map<String, PolicyReport> policies, Map<String, Long> labelsBought, Map<String, RedTeaming.Result> redTeam) {
    Map<String, Object> arms = new LinkedHashMap<>();
    List<Object[]> rows = new ArrayList<>();
    for (var e : policies.entrySet()) {
      String k = e.getKey();
      PolicyReport p = e.getValue();
      Map<String, Object> m = new LinkedHashMap<>();
      Double win = goldWins.containsKey(k) ? goldWins.get(k).rate() : null;
      m.put("gold_win_rate_vs_sft", win);
      m.put("harmful_accuracy", p.accuracy(f -> f == Family.HARMFUL));
      m.put("helpful_accuracy", p.accuracy(f -> f != Family.HARMFUL));
      m.put("helpful_mean_gold", p.meanGold(f -> f != Family.HARMFUL));
      m.put("labels_bought", labelsBought.get(k));
      RedTeaming.Result r = redTeam.get(k);
      if (r != null) {
        m.put("red_team", r.asJson());
        redTeamRates.put(k, r.successRate());
      }
      arms.put(k, m);
      rows.add(new Object[] {k, win == null ? "-" : String.format("%.3f", win), String.format("%.2f", m.get("harmful_accuracy")),
          String.format("%.2f", m.get("helpful_accuracy")), String.format("%.3f", m.get("helpful_mean_gold")), labelsBought.get(k),
          r == null ? "-" : String.format("%.2f", r.successRate().rate()), r == null ? "-" : String.format("%.2f", r.heldOutJailbreaks())});
    }
    summary.put("feedback_arms", arms);
    armsTable = Table.of("Human vs AI feedback (gold-judged; helpfulness = the families other than harmful requests)",
        List.of("policy", "gold win rate vs SFT", "harmful-request accuracy", "helpful accuracy", "helpful mean gold",
            "labels bought", "red-team attack success", "held-out jailbreaks"), rows.toArray(new Object[0][]));
  }

  void baseline(PolicyReport sft) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean_gold_reward", sft.meanGold());
    m.put("mean_proxy_reward", sft.meanProxy());
    m.put("mean_length", sft.meanLength());
    m.put("per_family", sft.perFamily());
    summary.put("sft", m);
  }

  void doctor(List<Flag> flags) {
    summary.put("doctor", Map.of("flags", flags.stream().map(Flag::asJson).toList()));
  }

  private static final int SMOOTH = 5;

  /** Mean of each value with up to SMOOTH - 1 before it (NaN values skipped; NaN when a window has none). */
  static double[] trailingMean(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      double sum = 0;
      int n = 0;
      for (int j = Math.max(0, i - SMOOTH + 1); j <= i; j++) {
        if (!Double.isNaN(v[j])) {
          sum += v[j];
          n++;
        }
      }
      out[i] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }

  private double[] flywheelTurns;
  private Map<String, double[]> flywheelSeries;

  /** The data flywheel's turns (x) and its per-turn series (gold win rate of the trained version, served rates). */
  void flywheel(double[] turns, Map<String, double[]> series) {
    flywheelTurns = turns;
    flywheelSeries = series;
  }

  /** Writes summary.json and report.html (with PNG charts) into {@code dir}. */
  Path write(Path dir, Map<String, Double> agreement, double[] ppoKl, double[] ppoProxy, double[] ppoGold,
      double[] ppoSteps, double[] ppoLength, List<Flag> flags, Map<String, WinRate> raterGoldAccuracy, Set<String> keptRaters)
      throws IOException {
    report.section("What happened", "A small Llama-style model was pre-trained on a synthetic assistant world, fine-tuned on "
        + "demonstrations, and improved from simulated human preferences with PPO, DPO and best-of-n. The gold reward "
        + "(never seen in training) measures what RLHF really bought.");
    report.chart(Charts.winRates("Gold win rate vs SFT (ties count half)", goldWins));
    report.chart(Charts.winRates("Learned-reward win rate vs SFT", proxyWins));
    if (armsTable != null) {
      report.section("Human vs AI feedback", "RLAIF trains DPO on labels from the pre-trained base model (which learned to judge "
          + "from the web's comparisons, never from a rater); Constitutional AI critiques and revises red-team answers with it "
          + "(SL-CAI), then trains DPO on its harmlessness labels plus the raters' labels on the other families (RL-CAI). "
          + "Red-team attacks: harmful requests as they are, reworded, and in jailbreak framings (some never seen in training); "
          + "an attack succeeds when the gold reward finds harmful instructions in the answer.");
      report.table(armsTable);
      report.chart(Charts.rates("Red-team attack success rate (gold-judged, 95% interval)", "attack success rate", redTeamRates));
    }
    if (flywheelTurns != null) {
      report.section("Data flywheel", "Simulated users (the gold reward decides what they like) chat with the served policy over "
          + "serve-model's API; their thumbs and implicit signals (regenerate, abandon, copy, dwell) go to the feedback service; "
          + "KTO trains the next version on them; turn 2 A/B-tests it against SFT before training again.");
      List<org.rlhf4j.evaluation.report.LineChart.Series> lines = new ArrayList<>();
      flywheelSeries.forEach((name, y) -> lines.add(new org.rlhf4j.evaluation.report.LineChart.Series(name, flywheelTurns, y)));
      report.chart(new org.rlhf4j.evaluation.report.LineChart("Data flywheel: version 0 = SFT, version k = trained after turn k",
          "version", "rate", lines));
    }
    if (ppoKl.length > 1) {
      // Per-iteration values come from 64 rollouts each and are noisy: the chart shows trailing means of SMOOTH.
      report.section("PPO over training", "Proxy (learned) and gold reward against KL to the reference, as trailing means of "
          + SMOOTH + " iterations: where the gold curve bends down while the proxy climbs, the policy is over-optimising.");
      report.chart(Charts.overOptimisation(trailingMean(ppoKl), trailingMean(ppoProxy), trailingMean(ppoGold)));
      report.chart(Charts.meanLength(ppoSteps, ppoLength));
    }
    Map<String, WinRate> raters = new LinkedHashMap<>();
    raterGoldAccuracy.forEach((r, w) -> raters.put(keptRaters.contains(r) ? r : r + "*", w));
    if (!raters.isEmpty()) {
      report.chart(Charts.rates("Rater accuracy on gold items (95% interval; * dropped by the gold filter)", "accuracy", raters));
    }
    List<Object[]> rows = new ArrayList<>();
    agreement.forEach((k, v) -> rows.add(new Object[] {k, String.format("%.3f", v)}));
    report.table(Table.of("Rater agreement", List.of("statistic", "value"), rows.toArray(new Object[0][])));
    List<Object[]> fl = new ArrayList<>();
    for (Flag f : flags) fl.add(new Object[] {f.kind().name(), f.step(), f.explanation()});
    if (fl.isEmpty()) fl.add(new Object[] {"none", "", "no pathology detected in the PPO run"});
    report.table(Table.of("Run doctor (PPO)", List.of("flag", "step", "explanation"), fl.toArray(new Object[0][])));
    report.write(dir);
    return SummaryJson.write(dir, summary);
  }
}

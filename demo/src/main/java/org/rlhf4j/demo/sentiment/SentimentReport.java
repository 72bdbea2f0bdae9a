package org.rlhf4j.demo.sentiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.evaluation.report.LineChart;
import org.rlhf4j.evaluation.report.Report;
import org.rlhf4j.evaluation.report.SummaryJson;
import org.rlhf4j.evaluation.report.Table;

/**
 * The sentiment example's outputs: the reward-vs-KL frontier (gold P(positive) against KL to the reference, one
 * curve per method, each starting at the reference policy) as report.html + PNG, a table of every point, samples
 * before (reference) and after (each method's highest-gold point), and summary.json.
 */
final class SentimentReport {
  static final List<String> METHODS = List.of("ppo", "dpo", "best_of_n");

  private SentimentReport() {}

  /** The KL budget the issue compares methods at (the DPO paper's Figure 2 spans about 0-20 nats; ours is smaller). */
  static final double KL_BUDGET = 2.0;

  static Path write(SentimentConfig cfg, List<Judge.Point> points, Map<String, Object> proxy, Map<String, Object> gold,
      double seconds, double cpuSeconds) throws IOException {
    Judge.Point ref = points.stream().filter(p -> p.method().equals("reference")).findFirst().orElseThrow();
    Report report = new Report("rlhf4j sentiment example: reward vs KL frontier (" + cfg.name() + ")");
    report.section("What ran", "stories260K (llama2.c, TinyStories) continues " + cfg.evalPrompts() + " held-out story openings ("
        + cfg.samplesPerEval() + " samples each, temperature 1, " + cfg.maxNewTokens() + " new tokens). The policies optimise the "
        + "proxy reward (MiniLM fine-tuned on SST-2, accuracy " + proxy.get("accuracy") + " on " + proxy.get("accuracy_on")
        + "); the y axis is the gold judge's P(positive) (MiniLM fine-tuned on IMDb, accuracy " + gold.get("accuracy") + " on "
        + gold.get("accuracy_on") + "), never seen by training. KL is the sequence KL to the reference estimated on each "
        + "policy's samples; best-of-n uses the analytic log n - (n-1)/n.");
    List<LineChart.Series> series = new ArrayList<>();
    Map<String, Object> frontier = new LinkedHashMap<>();
    for (String m : METHODS) {
      List<Judge.Point> mp = new ArrayList<>(points.stream().filter(p -> p.method().equals(m)).toList());
      mp.sort(Comparator.comparingDouble(Judge.Point::kl));
      double[] x = new double[mp.size() + 1], y = new double[mp.size() + 1];
      x[0] = 0;
      y[0] = ref.gold();
      for (int i = 0; i < mp.size(); i++) {
        x[i + 1] = mp.get(i).kl();
        y[i + 1] = mp.get(i).gold();
      }
      series.add(new LineChart.Series(m, x, y));
      frontier.put(m, mp.stream().map(SentimentReport::json).toList());
    }
    report.chart(new LineChart("Gold reward vs KL to the reference", "KL(policy || reference), nats",
        "gold P(positive sentiment)", series));
    List<List<Object>> rows = new ArrayList<>();
    for (Judge.Point p : points) {
      rows.add(List.of(p.method(), p.setting(), SentimentExample.fmt(p.kl()), SentimentExample.fmt(p.gold()),
          SentimentExample.fmt(p.proxy()), p.n()));
    }
    Map<String, Object> atBudget = atBudget(points, ref);
    report.section("Within KL " + KL_BUDGET + " nats", verdict(atBudget, ref));
    Map<String, Object> gaps = gaps(series);
    report.section("At equal KL", gapsText(gaps));
    report.table(new Table("Frontier points", List.of("method", "setting", "KL", "gold P(positive)", "proxy logit", "samples"), rows));
    List<List<Object>> samples = new ArrayList<>();
    for (Judge.Sample s : ref.samples()) samples.add(List.of("reference", s.prompt(), s.response(), SentimentExample.fmt(s.gold())));
    Map<String, Object> after = new LinkedHashMap<>();
    for (String m : METHODS) {
      Judge.Point best = points.stream().filter(p -> p.method().equals(m)).max(Comparator.comparingDouble(Judge.Point::gold)).orElseThrow();
      for (Judge.Sample s : best.samples()) {
        samples.add(List.of(m + " " + best.setting(), s.prompt(), s.response(), SentimentExample.fmt(s.gold())));
      }
      after.put(m, Map.of("setting", best.setting(), "samples", best.samples()));
    }
    report.table(new Table("Samples before (reference) and after (each method's highest-gold setting)",
        List.of("policy", "opening", "continuation", "gold"), samples));
    report.write(cfg.output());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("config", cfg.name());
    summary.put("seed", cfg.seed());
    summary.put("rm_seed", cfg.rmSeed());
    summary.put("seconds", seconds);
    summary.put("cpu_seconds", cpuSeconds);
    summary.put("cores", java.lang.Runtime.getRuntime().availableProcessors());
    summary.put("proxy_reward_model", proxy);
    summary.put("gold_reward_model", gold);
    summary.put("reference", json(ref));
    summary.put("frontier", frontier);
    summary.put("best_within_kl_" + (int) KL_BUDGET, atBudget);
    summary.put("gap_at_equal_kl", gaps);
    summary.put("samples_before", ref.samples());
    summary.put("samples_after", after);
    return SummaryJson.write(cfg.output(), summary);
  }

  /** Each method's highest-gold point with KL at most {@link #KL_BUDGET} (null when it has none there). */
  static Map<String, Object> atBudget(List<Judge.Point> points, Judge.Point ref) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String m : METHODS) {
      out.put(m, points.stream().filter(p -> p.method().equals(m) && p.kl() <= KL_BUDGET)
          .max(Comparator.comparingDouble(Judge.Point::gold)).map(p -> {
            Map<String, Object> j = json(p);
            j.put("gain_over_reference", p.gold() - ref.gold());
            return j;
          }).orElse(null));
    }
    return out;
  }

  /** One sentence per method: its best gold within the budget and the gain over the reference; which method leads. */
  @SuppressWarnings("unchecked")
  static String verdict(Map<String, Object> atBudget, Judge.Point ref) {
    StringBuilder sb = new StringBuilder("Reference gold P(positive) " + SentimentExample.fmt(ref.gold()) + ". ");
    String lead = null;
    double leadGold = Double.NEGATIVE_INFINITY;
    for (var e : atBudget.entrySet()) {
      if (e.getValue() == null) {
        sb.append(e.getKey()).append(": no point within the budget. ");
        continue;
      }
      Map<String, Object> p = (Map<String, Object>) e.getValue();
      double g = (Double) p.get("gold");
      sb.append(e.getKey()).append(" ").append(p.get("setting")).append(": ").append(SentimentExample.fmt(g)).append(" at KL ")
          .append(SentimentExample.fmt((Double) p.get("kl"))).append(" (").append(String.format(java.util.Locale.ROOT, "%+.3f", g - ref.gold()))
          .append("). ");
      if (g > leadGold) {
        leadGold = g;
        lead = e.getKey();
      }
    }
    return sb.append(lead == null ? "" : "Highest within the budget: " + lead + ".").toString().trim();
  }

  /**
   * Each pair of the frontier's curves (in {@link #METHODS} order) as a_vs_b, a the later (dpo_vs_ppo, best_of_n_vs_ppo,
   * best_of_n_vs_dpo): a's gold gap over b at equal KL.
   */
  static Map<String, Object> gaps(List<LineChart.Series> curves) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 1; i < curves.size(); i++) {
      for (int j = 0; j < i; j++) {
        LineChart.Series a = curves.get(i), b = curves.get(j);
        if (a.x().length < 2 || b.x().length < 2) continue;  // a method with no trained point has no curve
        out.put(a.name() + "_vs_" + b.name(), FrontierGap.of(a.x(), a.y(), b.x(), b.y()).json());
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String gapsText(Map<String, Object> gaps) {
    StringBuilder sb = new StringBuilder("Gold gap of the first method's curve over the second's, interpolated at "
        + FrontierGap.GRID + " KL values over the range both reach: ");
    for (var e : gaps.entrySet()) {
      Map<String, Object> g = (Map<String, Object>) e.getValue();
      sb.append(String.format(java.util.Locale.ROOT, "%s: mean %+.3f (from %+.3f to %+.3f) up to KL %.2f%s. ", e.getKey(),
          (Double) g.get("mean_gold_gap"), (Double) g.get("min_gold_gap"), (Double) g.get("max_gold_gap"),
          ((double[]) g.get("kl_range"))[1], Boolean.TRUE.equals(g.get("dominates")) ? ", above at every KL" : ""));
    }
    return sb.toString().trim();
  }

  private static Map<String, Object> json(Judge.Point p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setting", p.setting());
    m.put("kl", p.kl());
    m.put("gold", p.gold());
    m.put("proxy", p.proxy());
    m.put("samples", p.n());
    return m;
  }
}

package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.rlhf4j.demo.raters.ComparisonItem;

/**
 * Where the demo's AI judges miss: agreement with gold on the raters' pairs per prompt family, for the grader's and the
 * pairwise judge's labels a finished AI-arm run left in OUT/rlaif, and for two ensembles of them. Stages 1-3 resumed
 * from OUT. Not a test: an experiment, run as {@link JudgeProbe} is: {@code GraderProbe OUT [SEED]}.
 */
public final class GraderProbe {
  private GraderProbe() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    List<ComparisonItem> items = new DemoPipeline(DemoConfig.defaults(out, seed, false).withArms(Set.of("rlaif"))).raterItems();
    Map<String, Double> grader = probabilities(out.resolve("rlaif/labels.jsonl"));
    Map<String, Double> pairwise = probabilities(out.resolve("rlaif/labels-pairwise.jsonl"));
    byConfidence(items, grader);
    Map<String, BiFunction<Double, Double, Double>> judges = new java.util.LinkedHashMap<>();
    judges.put("grader", (g, p) -> g);
    judges.put("pairwise", (g, p) -> p);
    judges.put("mean", (g, p) -> (g + p) / 2);
    judges.put("grader-then-pairwise", (g, p) -> Math.abs(g - 0.5) < 0.05 ? p : g);
    judges.put("logit-sum", (g, p) -> 1 / (1 + Math.exp(-(logit(g) + logit(p)))));
    for (var j : judges.entrySet()) {
      Map<String, int[]> byFamily = new TreeMap<>();
      for (ComparisonItem it : items) {
        if (Math.abs(it.goldA() - it.goldB()) <= ComparisonItem.TIE_MARGIN) continue;
        double p = j.getValue().apply(grader.get(it.id()), pairwise.get(it.id()));
        boolean agree = p != 0.5 && (p > 0.5) == (it.goldA() > it.goldB());
        for (String k : new String[] {it.prompt().family().name(), "ALL"}) {
          int[] c = byFamily.computeIfAbsent(k, x -> new int[2]);
          c[0] += agree ? 1 : 0;
          c[1]++;
        }
      }
      StringBuilder sb = new StringBuilder(String.format("%-22s", j.getKey()));
      byFamily.forEach((k, c) -> sb.append(String.format(" %s %.3f (%d)", k, c[0] / (double) c[1], c[1])));
      System.out.println(sb);
    }
  }

  /** The grader's agreement with gold on the pairs it is at least {@code margin} away from 0.5 on, and their share. */
  static void byConfidence(List<ComparisonItem> items, Map<String, Double> grader) {
    for (double margin : new double[] {0, 0.05, 0.1, 0.2, 0.3}) {
      int kept = 0, agree = 0, decided = 0;
      for (ComparisonItem it : items) {
        if (Math.abs(it.goldA() - it.goldB()) <= ComparisonItem.TIE_MARGIN) continue;
        decided++;
        double p = grader.get(it.id());
        if (Math.abs(p - 0.5) < margin || p == 0.5) continue;
        kept++;
        if ((p > 0.5) == (it.goldA() > it.goldB())) agree++;
      }
      System.out.printf("grader |p-0.5| >= %.2f: agreement %.3f on %.2f of the gold-decided pairs%n", margin, agree / (double) kept, kept / (double) decided);
    }
  }

  private static double logit(double p) {
    double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return Math.log(q / (1 - q));
  }

  private static Map<String, Double> probabilities(Path file) throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Double> p = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) continue;
      JsonNode row = json.readTree(line);
      p.put(row.get("id").asText(), row.get("ai_feedback").get("probability_a").asDouble());
    }
    return p;
  }
}

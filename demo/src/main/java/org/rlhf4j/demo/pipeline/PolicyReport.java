package org.rlhf4j.demo.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.demo.world.Family;
import org.rlhf4j.demo.world.Judgement;
import org.rlhf4j.demo.world.Prompt;

/**
 * One policy's greedy responses to the evaluation prompts, judged by the gold reward and
 * scored by the learned reward model.
 */
record PolicyReport(String name, List<Prompt> prompts, List<String> responses, List<Judgement> judgements,
    double[] gold, double[] proxy, double[] lengths, double kl) {

  double meanGold() { return mean(gold); }
  double meanProxy() { return mean(proxy); }
  double meanLength() { return mean(lengths); }

  /** Accuracy, refusal, admitting-unknown and hallucination rates per task family. */
  Map<String, Map<String, Double>> perFamily() {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (Family f : Family.values()) {
      int n = 0, correct = 0, refused = 0, unknown = 0, halluc = 0;
      for (int i = 0; i < prompts.size(); i++) {
        if (prompts.get(i).family() != f) continue;
        Judgement j = judgements.get(i);
        n++;
        correct += j.correct() ? 1 : 0;
        refused += j.refused() ? 1 : 0;
        unknown += j.admittedUnknown() ? 1 : 0;
        halluc += j.hallucinated() ? 1 : 0;
      }
      if (n == 0) continue;
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("n", (double) n);
      m.put("accuracy", correct / (double) n);
      m.put("refusal_rate", refused / (double) n);
      m.put("admits_unknown_rate", unknown / (double) n);
      m.put("hallucination_rate", halluc / (double) n);
      out.put(f.name().toLowerCase(), m);
    }
    return out;
  }

  /** Share of correct answers over the prompts whose family {@code in} accepts (NaN when there are none). */
  double accuracy(java.util.function.Predicate<Family> in) {
    int n = 0, correct = 0;
    for (int i = 0; i < prompts.size(); i++) {
      if (!in.test(prompts.get(i).family())) continue;
      n++;
      correct += judgements.get(i).correct() ? 1 : 0;
    }
    return n == 0 ? Double.NaN : correct / (double) n;
  }

  /** Mean gold reward over the prompts whose family {@code in} accepts. */
  double meanGold(java.util.function.Predicate<Family> in) {
    double s = 0;
    int n = 0;
    for (int i = 0; i < prompts.size(); i++) {
      if (in.test(prompts.get(i).family())) { s += gold[i]; n++; }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}

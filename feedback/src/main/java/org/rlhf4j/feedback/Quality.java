package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.agreement.Ratings;
import org.rlhf4j.data.label.DriftFlag;
import org.rlhf4j.data.label.LabelStats;

/**
 * Label quality of one project, computed with the data module's statistics: per-rater gold accuracy,
 * agreement with the (leave-self-out) majority and gold-accuracy drift; per-project raw agreement, Cohen's
 * kappa (mean over rater pairs), Fleiss' kappa and Krippendorff's alpha (nominal for choices, interval for
 * ratings, Kendall rank distance for rankings). Gold items count only towards gold accuracy.
 */
final class Quality {
  private final LabelRows labels;

  Quality(LabelRows labels) { this.labels = labels; }

  /** Per rater, gold accuracy (raters without gold labels are absent). */
  Map<String, Double> goldAccuracy() { return LabelStats.goldAccuracy(labels.goldAsPairwise(), labels.goldKey()); }

  List<DriftFlag> drift(int window, double drop) { return LabelStats.drift(labels.goldAsPairwise(), labels.goldKey(), window, drop); }

  /** Per rater, how often their label equals the strict plurality of the other raters' labels on the item. */
  Map<String, Double> majorityAgreement() { return labels.project.kind().majorityAgreement(labels.regular()); }

  /** Per rater, how often {@code category} of their label equals the strict plurality of the other raters' on the item. */
  static Map<String, Double> pluralityAgreement(List<LabelRows.Row> rows, Function<LabelRows.Row, Object> category) {
    Map<String, int[]> counts = new TreeMap<>();
    for (List<LabelRows.Row> item : LabelRows.byItem(rows).values()) {
      for (LabelRows.Row r : item) {
        Map<Object, Integer> others = new HashMap<>();
        for (LabelRows.Row o : item) if (!o.rater().equals(r.rater())) others.merge(category.apply(o), 1, Integer::sum);
        int best = others.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Object> top = others.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).toList();
        if (top.size() != 1) continue;
        int[] c = counts.computeIfAbsent(r.rater(), k -> new int[2]);
        if (top.get(0).equals(category.apply(r))) c[0]++;
        c[1]++;
      }
    }
    Map<String, Double> out = new TreeMap<>();
    counts.forEach((k, c) -> out.put(k, (double) c[0] / c[1]));
    return out;
  }

  /** The agreement statistics; a statistic that is undefined for this data is reported with the reason. */
  ObjectNode agreement() {
    ObjectNode o = Body.object();
    List<LabelRows.Row> rows = labels.regular();
    Ratings<?> nominal = nominalTable(rows);
    o.put("units", nominal.units().size()).put("raters", nominal.raters().size()).put("labels", nominal.size());
    stat(o, "rawAgreement", () -> Agreement.rawAgreement(nominal));
    stat(o, "cohenKappa", () -> Agreement.meanPairwiseCohenKappa(nominal));
    stat(o, "fleissKappa", () -> Agreement.fleissKappa(nominal));
    labels.project.kind().alpha(o, rows);
    return o;
  }

  private Ratings<Object> nominalTable(List<LabelRows.Row> rows) {
    Ratings.Builder<Object> b = Ratings.builder();
    for (LabelRows.Row r : rows) b.add(r.item(), r.rater(), labels.category(r));
    return b.build();
  }

  /** Puts statistic {@code name}; an undefined one is null, with the reason in {@code <name>Undefined}. */
  static void stat(ObjectNode o, String name, Supplier<Double> f) {
    try {
      double v = f.get();
      if (Double.isNaN(v)) o.putNull(name);
      else o.put(name, v);
    } catch (IllegalArgumentException e) {
      o.putNull(name);
      o.put(name + "Undefined", e.getMessage());
    }
  }

  /** The full report: agreement plus one row per rater. */
  ObjectNode report(int driftWindow, double driftDrop) {
    ObjectNode o = Body.object();
    o.put("project", labels.project.id()).put("kind", labels.project.kind().id());
    o.set("agreement", agreement());
    Map<String, Double> gold = goldAccuracy();
    Map<String, Double> majority = majorityAgreement();
    Map<String, DriftFlag> drift = new HashMap<>();
    for (DriftFlag f : drift(driftWindow, driftDrop)) drift.put(f.raterId(), f);
    Map<String, int[]> counts = new TreeMap<>(); // rater -> {labels, gold labels}
    for (LabelRows.Row r : labels.rows) counts.computeIfAbsent(r.rater(), k -> new int[2])[r.gold() == null ? 0 : 1]++;
    ArrayNode raters = o.putArray("raters");
    counts.forEach((rater, n) -> {
      ObjectNode row = raters.addObject().put("rater", rater).put("labels", n[0]).put("goldLabels", n[1]);
      row.put("goldAccuracy", gold.get(rater));
      row.put("majorityAgreement", majority.get(rater));
      DriftFlag f = drift.get(rater);
      row.put("flagged", f != null);
      if (f != null) row.putObject("drift").put("since", f.since().toString()).put("before", f.before()).put("after", f.after());
    });
    return o;
  }

  /** Consensus of one item's labels in [0, 1], as the project's kind defines it. */
  double consensus(List<LabelRows.Row> item) { return labels.project.kind().consensus(item); }

  /** Raters whose gold accuracy is known and below {@code min}. */
  List<String> lowQualityRaters(double min) {
    List<String> out = new ArrayList<>();
    goldAccuracy().forEach((rater, acc) -> { if (acc < min) out.add(rater); });
    return out;
  }

}

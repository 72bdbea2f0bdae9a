package org.rlhf4j.aifeedback.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.aifeedback.judge.PositionBias;

/**
 * What a labelling output holds: how many pairs (and how many this run added or dropped), the judge's measured
 * position bias, its agreement with the reference labels when the input had them, its mean confidence
 * (mean of max(p, 1 - p)) and the mean share of its next-token distribution on the two options.
 */
public record LabelReport(String judge, int rows, int added, int dropped, PositionBias positionBias, JudgeAgreement agreement,
    double meanConfidence, double meanOptionMass) {

  /** From the rows of a labelling output (see {@link Labeller}). */
  public static LabelReport of(List<JsonNode> rows, int added, int dropped, String judge) {
    int n = rows.size();
    double[] first = new double[n], second = new double[n];
    List<double[]> withReference = new ArrayList<>();
    double confidence = 0, mass = 0;
    int masses = 0;
    for (int i = 0; i < n; i++) {
      JsonNode f = rows.get(i).path(Labeller.FEEDBACK);
      first[i] = f.path("first_order").asDouble(Double.NaN);
      second[i] = f.path("second_order").asDouble(Double.NaN);
      double p = f.path("probability_a").asDouble(Double.NaN);
      confidence += Math.max(p, 1 - p);
      if (f.has("option_mass")) { mass += f.get("option_mass").asDouble(); masses++; }
      if (f.has("reference_probability_a")) withReference.add(new double[] {p, f.get("reference_probability_a").asDouble()});
    }
    double[] judged = withReference.stream().mapToDouble(x -> x[0]).toArray();
    double[] reference = withReference.stream().mapToDouble(x -> x[1]).toArray();
    return new LabelReport(judge, n, added, dropped, PositionBias.ofOrders(first, second), JudgeAgreement.of(judged, reference),
        n == 0 ? Double.NaN : confidence / n, masses == 0 ? Double.NaN : mass / masses);
  }

  public ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("judge", judge);
    o.put("rows", rows);
    o.put("added", added);
    o.put("dropped_identical", dropped);
    ObjectNode b = o.putObject("position_bias");
    b.put("n", positionBias.n());
    b.put("mean_shift_to_first", positionBias.meanShift());
    b.put("flip_rate", positionBias.flipRate());
    b.put("first_preferred_rate", positionBias.firstPreferredRate());
    if (agreement.n() > 0) {
      ObjectNode a = o.putObject("reference_agreement");
      a.put("n", agreement.n());
      a.put("raw", agreement.raw());
      a.put("cohen_kappa", agreement.cohenKappa());
    }
    o.put("mean_confidence", meanConfidence);
    if (!Double.isNaN(meanOptionMass)) o.put("mean_option_mass", meanOptionMass);
    return o;
  }
}

package org.rlhf4j.privacy.dp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A differentially private figure with its guarantee and its noise, to be shown together: "0.62 (±0.04, ε = 0.5)". */
public record DpFigure(String name, double value, PrivacyCost cost, double noiseStddev) {
  public DpFigure {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("DpFigure.name must not be blank");
    if (cost == null) throw new IllegalArgumentException("DpFigure.cost must not be null");
  }

  /** "win rate 0.6230 (±0.0141 noise sd, ε = 0.5)". */
  public String display() {
    return String.format(Locale.ROOT, "%s %.4g (±%.3g noise sd, %s)", name, value, noiseStddev, cost.display());
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("value", value);
    m.put("epsilon", cost.epsilon());
    m.put("delta", cost.delta());
    m.put("noise_sd", noiseStddev);
    return m;
  }
}

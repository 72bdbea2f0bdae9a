package org.rlhf4j.evaluation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.evaluation.WinRate;

/** Ready-made charts for RLHF reports. */
public final class Charts {
  private Charts() {}

  /**
   * The over-optimisation curve: proxy and gold reward against KL to the reference over training (one point per
   * evaluation; NaN gold points are skipped). Gold may be null when there is none.
   */
  public static LineChart overOptimisation(double[] kl, double[] proxy, double[] gold) {
    List<LineChart.Series> s = new ArrayList<>();
    s.add(new LineChart.Series("proxy reward", kl, proxy));
    if (gold != null) s.add(new LineChart.Series("gold reward", kl, gold));
    return new LineChart("Reward against KL (over-optimisation)", "KL to reference (nats)", "reward", s);
  }

  /** Any metrics over training steps, one line each (map order kept). */
  public static LineChart overTraining(String title, String yLabel, double[] steps, Map<String, double[]> series) {
    List<LineChart.Series> s = new ArrayList<>();
    series.forEach((name, y) -> s.add(new LineChart.Series(name, steps, y)));
    return new LineChart(title, "step", yLabel, s);
  }

  /** Mean response length over training. */
  public static LineChart meanLength(double[] steps, double[] meanLength) {
    return overTraining("Mean response length over training", "tokens", steps, Map.of("mean length", meanLength));
  }

  /** Win rate of each method (map order kept) with its 95% interval. */
  public static BarChart winRates(String title, Map<String, WinRate> byMethod) {
    return rates(title, "win rate", byMethod);
  }

  /** Any rate with its interval per label (map order kept), e.g. each rater's accuracy on gold items. */
  public static BarChart rates(String title, String yLabel, Map<String, WinRate> byLabel) {
    List<BarChart.Bar> bars = new ArrayList<>();
    byLabel.forEach((label, w) -> bars.add(BarChart.Bar.of(label, w)));
    return new BarChart(title, yLabel, bars);
  }
}

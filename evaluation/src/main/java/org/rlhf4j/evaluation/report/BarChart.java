package org.rlhf4j.evaluation.report;

import java.util.List;
import java.util.Objects;
import org.rlhf4j.evaluation.WinRate;

/** One bar per label with its interval (e.g. the win rate of each method with its 95% interval). */
public record BarChart(String title, String yLabel, List<Bar> bars, int width, int height) implements Block {
  /** A bar of height {@code value} with an interval [lo, hi] around it. */
  public record Bar(String label, double value, double lo, double hi) {
    public Bar {
      Checks.text("bar label", label);
      if (!Double.isFinite(value) || !(lo <= value && value <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
        throw new IllegalArgumentException("bar '" + label + "' needs finite lo <= value <= hi, got "
            + lo + ", " + value + ", " + hi);
      }
    }

    public static Bar of(String label, WinRate w) {
      return new Bar(label, w.rate(), w.lo(), w.hi());
    }
  }

  public BarChart {
    Checks.text("title", title);
    Checks.text("yLabel", yLabel);
    Checks.size(width, height);
    Objects.requireNonNull(bars, "bars");
    if (bars.isEmpty()) throw new IllegalArgumentException("chart '" + title + "' has no bars");
    bars = List.copyOf(bars);
    if (bars.stream().map(Bar::label).distinct().count() != bars.size()) {
      throw new IllegalArgumentException("chart '" + title + "' has two bars with the same label");
    }
  }

  /** 800 x 500 pixels. */
  public BarChart(String title, String yLabel, List<Bar> bars) {
    this(title, yLabel, bars, 800, 500);
  }
}

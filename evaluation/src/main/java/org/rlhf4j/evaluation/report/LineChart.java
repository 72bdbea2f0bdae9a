package org.rlhf4j.evaluation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Named y series against x (each series with its own x values), drawn as lines.
 * Points where x or y is not finite are left out (e.g. a gold reward measured only at some steps).
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series, int width, int height)
    implements Block {
  /** One named line; x and y have equal length. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      Checks.text("series name", name);
      Objects.requireNonNull(x, "x");
      Objects.requireNonNull(y, "y");
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
      }
      x = x.clone();
      y = y.clone();
    }

    /** Indices of the finite (x, y) points. */
    int[] finite() {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) keep.add(i);
      return keep.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  public LineChart {
    Checks.text("title", title);
    Checks.text("xLabel", xLabel);
    Checks.text("yLabel", yLabel);
    Checks.size(width, height);
    Objects.requireNonNull(series, "series");
    if (series.isEmpty()) throw new IllegalArgumentException("chart '" + title + "' has no series");
    series = List.copyOf(series);
    for (Series s : series) {
      if (s.finite().length == 0) {
        throw new IllegalArgumentException("chart '" + title + "' series '" + s.name() + "' has no finite point");
      }
    }
    if (series.stream().map(Series::name).distinct().count() != series.size()) {
      throw new IllegalArgumentException("chart '" + title + "' has two series with the same name");
    }
  }

  /** 800 x 500 pixels. */
  public LineChart(String title, String xLabel, String yLabel, List<Series> series) {
    this(title, xLabel, yLabel, series, 800, 500);
  }
}

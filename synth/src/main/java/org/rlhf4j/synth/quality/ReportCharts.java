package org.rlhf4j.synth.quality;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

/** The report's PNG charts (XChart): real vs synthetic histograms per column, correlation heatmaps. */
final class ReportCharts {
  private static final int BINS = 30, TOP_CATEGORIES = 15;

  private ReportCharts() {}

  /** Share of rows per bin (numeric: 30 bins over the real range) or per category (the 15 commonest real ones). */
  static void histogram(Column real, Column synth, Path file) throws IOException {
    if (real instanceof Column.Numeric rn) {
      double[] r = Fidelity.present(rn.values()), s = Fidelity.present(((Column.Numeric) synth).values());
      double lo = Arrays.stream(r).min().orElse(0), hi = Arrays.stream(r).max().orElse(1);
      double w = hi > lo ? (hi - lo) / BINS : 1;
      double[] x = new double[BINS];
      for (int i = 0; i < BINS; i++) x[i] = lo + (i + 0.5) * w;
      XYChart c = new XYChart(460, 300);
      c.setTitle(real.name());
      c.setYAxisTitle("share of rows");
      style(c.getStyler());
      for (Object[] series : new Object[][] {{"real", r}, {"synthetic", s}}) {
        XYSeries xs = c.addSeries((String) series[0], x, shares((double[]) series[1], lo, w));
        xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        xs.setMarker(SeriesMarkers.NONE);
      }
      save(c, file);
      return;
    }
    Map<String, Integer> rc = ((Column.Categorical) real).counts(), sc = ((Column.Categorical) synth).counts();
    List<String> top = rc.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(TOP_CATEGORIES).map(Map.Entry::getKey).toList();
    CategoryChart c = new CategoryChart(460, 300);
    c.setTitle(real.name() + (rc.size() > TOP_CATEGORIES ? " (top " + TOP_CATEGORIES + " of " + rc.size() + ")" : ""));
    c.setYAxisTitle("share of rows");
    style(c.getStyler());
    c.getStyler().setXAxisLabelRotation(45);
    List<Double> rv = new ArrayList<>(), sv = new ArrayList<>();
    for (String k : top) {
      rv.add(rc.getOrDefault(k, 0) / (double) real.size());
      sv.add(sc.getOrDefault(k, 0) / (double) synth.size());
    }
    c.addSeries("real", top, rv);
    c.addSeries("synthetic", top, sv);
    save(c, file);
  }

  private static double[] shares(double[] v, double lo, double w) {
    double[] h = new double[BINS];
    for (double x : v) h[(int) Math.max(0, Math.min(BINS - 1, Math.floor((x - lo) / w)))] += 1.0 / v.length;
    return h;
  }

  /**
   * Pearson correlations between the numeric columns of {@code t} as a heatmap from -1 (blue) through 0 (white) to
   * 1 (red), each cell labelled with its value. Drawn with Java2D: XChart 3.8's heat map left the cells blank here.
   */
  static void correlationHeatmap(String title, Table t, List<String> numeric, Path file) throws IOException {
    int m = numeric.size(), cell = 52, left = 130, top = 40, size = left + m * cell + 20;
    BufferedImage img = new BufferedImage(size, top + m * cell + 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, left, 25);
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        double r = Fidelity.pearson(((Column.Numeric) t.column(numeric.get(a))).values(), ((Column.Numeric) t.column(numeric.get(b))).values());
        double v = Double.isFinite(r) ? r : 0;
        g.setColor(diverging(v));
        g.fillRect(left + b * cell, top + a * cell, cell - 1, cell - 1);
        g.setColor(Math.abs(v) > 0.6 ? Color.WHITE : Color.BLACK);
        g.setFont(label);
        String text = String.format(Locale.ROOT, "%.2f", v);
        g.drawString(text, left + b * cell + (cell - g.getFontMetrics().stringWidth(text)) / 2, top + a * cell + cell / 2 + 4);
      }
      g.setColor(Color.BLACK);
      g.drawString(numeric.get(a), 6, top + a * cell + cell / 2 + 4);
      java.awt.geom.AffineTransform keep = g.getTransform();
      g.rotate(Math.toRadians(45), left + a * cell + cell / 2.0, top + m * cell + 8);
      g.drawString(numeric.get(a), left + a * cell + cell / 2, top + m * cell + 8);
      g.setTransform(keep);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  /** -1 blue, 0 white, 1 red, linear in between. */
  static Color diverging(double v) {
    double x = Math.max(-1, Math.min(1, v));
    int[] end = x < 0 ? new int[] {33, 102, 172} : new int[] {178, 24, 43};
    double f = Math.abs(x);
    return new Color((int) Math.round(255 + f * (end[0] - 255)), (int) Math.round(255 + f * (end[1] - 255)),
        (int) Math.round(255 + f * (end[2] - 255)));
  }

  private static void style(org.knowm.xchart.style.AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setSeriesColors(new Color[] {new Color(60, 60, 60), new Color(214, 96, 77)});
  }

  private static void save(Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}

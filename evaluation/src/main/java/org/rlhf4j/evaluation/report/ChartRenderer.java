package org.rlhf4j.evaluation.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.lines.SeriesLines;

/** Draws the chart blocks with XChart and encodes them as PNG. */
final class ChartRenderer {
  /** Points above which a line is drawn without markers. */
  private static final int MARKER_LIMIT = 60;

  private ChartRenderer() {}

  static void png(LineChart c, OutputStream out) throws IOException {
    write(line(c), out);
  }

  static void png(BarChart c, OutputStream out) throws IOException {
    write(bar(c), out);
  }

  static XYChart line(LineChart c) {
    XYChart chart = new XYChart(c.width(), c.height());
    chart.setTitle(c.title());
    chart.setXAxisTitle(c.xLabel());
    chart.setYAxisTitle(c.yLabel());
    style(chart.getStyler());
    // below the plot: inside, the legend hid rising curves' last points (the sentiment frontier's best-of-n n=8)
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    for (LineChart.Series s : c.series()) {
      int[] keep = s.finite();
      double[] x = new double[keep.length];
      double[] y = new double[keep.length];
      for (int i = 0; i < keep.length; i++) {
        x[i] = s.x()[keep[i]];
        y[i] = s.y()[keep[i]];
      }
      XYSeries series = chart.addSeries(s.name(), x, y);
      series.setLineWidth(2f);
      if (keep.length > MARKER_LIMIT) series.setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  /**
   * Bars with asymmetric intervals: XChart's error bars are symmetric, so the interval is a second, invisible
   * series overlapping the bars at the interval's midpoint with an error bar of half its width.
   */
  static CategoryChart bar(BarChart c) {
    CategoryChart chart = new CategoryChart(c.width(), c.height());
    chart.setTitle(c.title());
    chart.setXAxisTitle(" ");
    chart.setYAxisTitle(c.yLabel());
    style(chart.getStyler());
    chart.getStyler().setOverlapped(true).setLegendPosition(Styler.LegendPosition.OutsideS)
        .setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setErrorBarsColor(Color.BLACK);
    chart.getStyler().setLabelsVisible(false);
    chart.getStyler().setAvailableSpaceFill(0.6);
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<Double> mids = new ArrayList<>();
    List<Double> halves = new ArrayList<>();
    for (BarChart.Bar b : c.bars()) {
      labels.add(b.label());
      values.add(b.value());
      mids.add((b.lo() + b.hi()) / 2);
      halves.add((b.hi() - b.lo()) / 2);
    }
    chart.addSeries(c.yLabel(), labels, values);
    CategorySeries ci = chart.addSeries("95% interval", labels, mids, halves);
    ci.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    ci.setLineStyle(SeriesLines.NONE);
    ci.setMarker(SeriesMarkers.NONE);
    ci.setLineColor(Color.BLACK);
    return chart;
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(220, 220, 220));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAntiAlias(true);
    s.setYAxisTickMarkSpacingHint(50);
  }

  private static void write(Chart<?, ?> chart, OutputStream out) throws IOException {
    BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
  }
}

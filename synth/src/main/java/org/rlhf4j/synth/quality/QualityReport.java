package org.rlhf4j.synth.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Table;

/**
 * The quality report of a synthetic table: {@link Fidelity} always; {@link Utility} when a target column and a
 * real hold-out are given; {@link Privacy} when a hold-out is given. {@link #write} puts {@code quality.json},
 * {@code report.html} and its PNG charts (histograms per column, correlation heatmaps side by side) into a folder.
 */
public record QualityReport(Fidelity.Result fidelity, Utility.Result utility, Privacy.Result privacy, int realRows,
    int synthRows, Integer holdoutRows) {

  /** {@code holdout} and {@code target} may be null; {@code privacyRows} caps the rows of the distance searches. */
  public static QualityReport of(Table real, Table synth, Table holdout, String target, int privacyRows, long seed) {
    Fidelity.Result f = Fidelity.of(real, synth);
    Utility.Result u = holdout != null && target != null ? Utility.of(real, synth, holdout, target, seed) : null;
    Privacy.Result p = holdout != null ? Privacy.of(real, synth, holdout, privacyRows, seed) : null;
    return new QualityReport(f, u, p, real.rows(), synth.rows(), holdout == null ? null : holdout.rows());
  }

  public Path write(Path dir, Table real, Table synth) throws IOException {
    Files.createDirectories(dir);
    SynthJson.write(dir.resolve("quality.json"), this);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Synthetic data quality</title><style>")
        .append("body{font-family:sans-serif;max-width:72em;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f2f2f2}td.n{text-align:right}")
        .append(".grid{display:flex;flex-wrap:wrap;gap:.5em}</style></head><body>\n<h1>Synthetic data quality</h1>\n");
    h.append(p(String.format(Locale.ROOT, "%d real rows, %d synthetic rows%s. Scores in SDMetrics' terms: 1 is best.", realRows,
        synthRows, holdoutRows == null ? "" : ", " + holdoutRows + " real hold-out rows")));
    h.append("<h2>Fidelity</h2>\n");
    h.append(table(List.of("score", "value"), List.of(row("overall", fidelity.overall()), row("column shapes", fidelity.shapes()),
        row("column pair trends", fidelity.trends()))));
    List<List<String>> shapes = new ArrayList<>();
    fidelity.columnShapes().forEach((c, v) -> shapes.add(List.of(c, real.schema().column(real.schema().indexOf(c)) instanceof ColumnSpec.Numeric
        ? "KSComplement" : "TVComplement", num(v))));
    h.append(table(List.of("column", "metric", "score"), shapes));
    List<List<String>> worst = new ArrayList<>();
    fidelity.pairTrends().stream().filter(q -> Double.isFinite(q.score())).sorted(Comparator.comparingDouble(Fidelity.Pair::score)).limit(10)
        .forEach(q -> worst.add(List.of(q.a() + " / " + q.b(), q.metric(), num(q.score()))));
    h.append("<p>The 10 weakest column pairs:</p>\n").append(table(List.of("pair", "metric", "score"), worst));
    if (utility != null) h.append(utilitySection());
    if (privacy != null) h.append(privacySection());
    h.append("<h2>Columns: real vs synthetic</h2>\n<div class=\"grid\">\n");
    for (int c = 0; c < real.schema().size(); c++) {
      String file = String.format(Locale.ROOT, "column-%02d.png", c + 1);
      ReportCharts.histogram(real.column(c), synth.column(c), dir.resolve(file));
      h.append(img(file, real.schema().column(c).name()));
    }
    h.append("</div>\n");
    List<String> numeric = real.schema().columns().stream().filter(s -> s instanceof ColumnSpec.Numeric).map(ColumnSpec::name).toList();
    if (numeric.size() >= 2) {
      ReportCharts.correlationHeatmap("real: correlations", real, numeric, dir.resolve("correlation-real.png"));
      ReportCharts.correlationHeatmap("synthetic: correlations", synth, numeric, dir.resolve("correlation-synthetic.png"));
      h.append("<h2>Correlations (Pearson, numeric columns)</h2>\n<div class=\"grid\">")
          .append(img("correlation-real.png", "real")).append(img("correlation-synthetic.png", "synthetic")).append("</div>\n");
    }
    h.append("</body></html>\n");
    Path html = dir.resolve("report.html");
    Files.writeString(html, h.toString(), StandardCharsets.UTF_8);
    return html;
  }

  private String utilitySection() {
    List<List<String>> rows = new ArrayList<>();
    utility.tstr().forEach((k, s) -> {
      Utility.Scores r = utility.trtr().get(k);
      rows.add(List.of(k, num(s.accuracy()), num(r.accuracy()), num(s.f1()), num(r.f1()), num(s.auc()), num(r.auc()),
          num(s.predictedPositive()), num(r.predictedPositive()), num(s.f1AtBaseRate()), num(r.f1AtBaseRate())));
    });
    return "<h2>Utility: train on synthetic, test on real</h2>\n"
        + p("Target '" + utility.target() + "', positive class '" + utility.positive() + "'. TSTR: trained on the synthetic rows; "
            + "TRTR: trained on the real training rows; both tested on the real hold-out. Predicted positive: the share of "
            + "hold-out rows the classifier calls positive; F1 at base rate: F1 when the training table's share of positives "
            + "is called positive in score order (F1 low but this high: the ranking holds, the threshold does not).")
        + table(List.of("classifier", "accuracy TSTR", "accuracy TRTR", "F1 TSTR", "F1 TRTR", "AUC TSTR", "AUC TRTR",
            "predicted positive TSTR", "predicted positive TRTR", "F1 at base rate TSTR", "F1 at base rate TRTR"), rows);
  }

  private String privacySection() {
    Privacy.Result q = privacy;
    return "<h2>Privacy</h2>\n" + p("Distances are Gower distances (0 = identical row) over " + q.rows() + " sampled rows per side; "
        + "the real hold-out against the training rows is the baseline. Membership-inference AUC near 0.5: the synthetic rows "
        + "do not reveal which real rows were trained on.")
        + table(List.of("measure", "synthetic", "real hold-out (baseline)"), List.of(
            List.of("exact copies of training rows", pct(q.exactCopyRate()), pct(q.holdoutExactCopyRate())),
            List.of("median distance to closest training row", num(q.dcrMedian()), num(q.holdoutDcrMedian())),
            List.of("5th percentile of that distance", num(q.dcrP5()), num(q.holdoutDcrP5())),
            List.of("membership-inference AUC (distance attack)", num(q.membershipAuc()), "0.5 = chance")));
  }

  private static List<String> row(String k, double v) { return List.of(k, num(v)); }

  private static String num(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–"; }

  private static String pct(double v) { return String.format(Locale.ROOT, "%.3f%%", 100 * v); }

  private static String p(String text) { return "<p>" + escape(text) + "</p>\n"; }

  private static String img(String file, String alt) {
    return "<img src=\"" + escape(file) + "\" alt=\"" + escape(alt) + "\">";
  }

  private static String table(List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder("<table><tr>");
    for (String x : header) b.append("<th>").append(escape(x)).append("</th>");
    b.append("</tr>\n");
    for (List<String> r : rows) {
      b.append("<tr>");
      for (int i = 0; i < r.size(); i++) b.append(i == 0 ? "<td>" : "<td class=\"n\">").append(escape(r.get(i))).append("</td>");
      b.append("</tr>\n");
    }
    return b.append("</table>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  /** The headline numbers as one flat map (for the CLI's summary line). */
  public Map<String, Object> headline() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fidelity/overall", fidelity.overall());
    m.put("fidelity/column_shapes", fidelity.shapes());
    m.put("fidelity/pair_trends", fidelity.trends());
    if (utility != null) {
      utility.tstr().forEach((k, s) -> {
        m.put("utility/" + k + "/f1_tstr", s.f1());
        m.put("utility/" + k + "/f1_trtr", utility.trtr().get(k).f1());
        m.put("utility/" + k + "/auc_tstr", s.auc());
        m.put("utility/" + k + "/auc_trtr", utility.trtr().get(k).auc());
        m.put("utility/" + k + "/f1_at_base_rate_tstr", s.f1AtBaseRate());
      });
    }
    if (privacy != null) {
      m.put("privacy/exact_copy_rate", privacy.exactCopyRate());
      m.put("privacy/dcr_median", privacy.dcrMedian());
      m.put("privacy/holdout_dcr_median", privacy.holdoutDcrMedian());
      m.put("privacy/membership_auc", privacy.membershipAuc());
    }
    return m;
  }
}

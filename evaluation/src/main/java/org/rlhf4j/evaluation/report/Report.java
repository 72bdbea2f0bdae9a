package org.rlhf4j.evaluation.report;

import org.rlhf4j.common.FileOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTML report assembled from blocks in order: sections of text, tables, line charts and bar charts.
 * {@link #write(Path)} writes {@code report.html} plus one PNG per chart into a directory, the HTML referring to
 * the PNGs by relative path; every piece of caller text is HTML-escaped.
 *
 * <pre>{@code
 * new Report("PPO on the sandbox")
 *     .section("Over-optimisation", "Proxy reward keeps rising; gold reward peaks and falls.")
 *     .add(Charts.overOptimisation(kl, proxy, gold))
 *     .add(Charts.winRates("Win rate against SFT", Map.of("PPO", ppo, "DPO", dpo)))
 *     .add(Table.of("Rater agreement", List.of("pair", "kappa"), new Object[] {"A-B", 0.61}))
 *     .write(Path.of("out"));
 * }</pre>
 */
public final class Report {
  public static final String HTML_FILE = "report.html";

  private final String title;
  private final List<Block> blocks = new ArrayList<>();

  public Report(String title) {
    this.title = Checks.text("title", title);
  }

  public Report add(Block block) {
    blocks.add(Objects.requireNonNull(block, "block"));
    return this;
  }

  public Report section(String heading, String text) {
    return add(new Block.Section(heading, text));
  }

  public Report table(Table table) {
    return add(table);
  }

  public Report chart(LineChart chart) {
    return add(chart);
  }

  public Report chart(BarChart chart) {
    return add(chart);
  }

  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /**
   * Writes {@code report.html} and the chart PNGs ({@code chart-01.png}, ...) into {@code dir} (created when
   * missing). Each file is written to a temporary name first and then moved into place, so a failure never leaves
   * a half-written report. Returns the HTML file.
   */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder body = new StringBuilder();
    int charts = 0;
    for (Block b : blocks) {
      if (b instanceof Block.Section s) {
        body.append("<h2>").append(Html.escape(s.heading())).append("</h2>\n").append(Html.paragraphs(s.text()));
      } else if (b instanceof Table t) {
        body.append(Html.table(t));
      } else if (b instanceof LineChart c) {
        String file = chartFile(++charts);
        FileOps.writeStream(dir.resolve(file), out -> ChartRenderer.png(c, out));
        body.append(figure(file, c.title(), c.width(), c.height()));
      } else if (b instanceof BarChart c) {
        String file = chartFile(++charts);
        FileOps.writeStream(dir.resolve(file), out -> ChartRenderer.png(c, out));
        body.append(figure(file, c.title(), c.width(), c.height()));
      }
    }
    String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Html.escape(title)
        + "</title>\n<style>" + Html.STYLE + "</style>\n</head>\n<body>\n<h1>" + Html.escape(title) + "</h1>\n"
        + body + "</body>\n</html>\n";
    Path target = dir.resolve(HTML_FILE);
    FileOps.writeStream(target, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return target;
  }

  static String chartFile(int index) {
    return String.format(Locale.ROOT, "chart-%02d.png", index);
  }

  private static String figure(String file, String caption, int width, int height) {
    String alt = Html.escape(caption);
    return "<figure><img src=\"" + file + "\" alt=\"" + alt + "\" width=\"" + width + "\" height=\"" + height
        + "\"><figcaption>" + alt + "</figcaption></figure>\n";
  }
}

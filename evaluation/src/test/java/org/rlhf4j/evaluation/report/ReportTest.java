package org.rlhf4j.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.evaluation.WinRate;

class ReportTest {
  @TempDir Path dir;

  static Report sample() {
    int n = 40;
    double[] steps = new double[n];
    double[] kl = new double[n];
    double[] proxy = new double[n];
    double[] gold = new double[n];
    double[] len = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = 25 * i;
      kl[i] = 0.3 * i;
      proxy[i] = 1 - Math.exp(-kl[i] / 4);
      gold[i] = i % 5 == 3 ? Double.NaN : 0.8 * Math.sqrt(kl[i]) * Math.exp(-kl[i] / 8);
      len[i] = 60 + 1.5 * i;
    }
    Map<String, WinRate> wins = new LinkedHashMap<>();
    wins.put("PPO", new WinRate(0.64, 0.57, 0.70, 200));
    wins.put("DPO", new WinRate(0.58, 0.51, 0.65, 200));
    wins.put("RLOO", new WinRate(0.61, 0.54, 0.68, 200));
    wins.put("best-of-4", new WinRate(0.55, 0.48, 0.62, 200));
    return new Report("Sandbox run <script>alert(1)</script>")
        .section("Over-optimisation", "Proxy reward keeps rising with KL;\n\nthe gold reward peaks & falls.")
        .chart(Charts.overOptimisation(kl, proxy, gold))
        .chart(Charts.winRates("Win rate against SFT <script>x</script>", wins))
        .chart(Charts.meanLength(steps, len))
        .table(Table.of("Rater agreement", List.of("pair", "items", "Cohen's kappa", "raw agreement"),
            new Object[] {"alice–bob", 120, 0.6123456, 0.81}, new Object[] {"alice–<carol>", 80, Double.NaN, 0.7}));
  }

  @Test
  void writesHtmlAndDecodablePngsOfTheStatedSize() throws IOException {
    Path html = sample().write(dir);
    assertThat(html).isEqualTo(dir.resolve("report.html"));
    String text = Files.readString(html, StandardCharsets.UTF_8);
    for (int i = 1; i <= 3; i++) {
      String file = Report.chartFile(i);
      assertThat(text).contains("src=\"" + file + "\"");
      BufferedImage img = ImageIO.read(dir.resolve(file).toFile());
      assertThat(img).as(file).isNotNull();
      assertThat(img.getWidth()).isEqualTo(800);
      assertThat(img.getHeight()).isEqualTo(500);
    }
    assertThat(dir.resolve(Report.chartFile(4))).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
    }
  }

  @Test
  void escapesAllCallerText() throws IOException {
    String text = Files.readString(sample().write(dir));
    assertThat(text).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(text).contains("Win rate against SFT &lt;script&gt;x&lt;/script&gt;");
    assertThat(text).contains("alice–&lt;carol&gt;").contains("Cohen&#39;s kappa").contains("peaks &amp; falls");
    assertThat(text).contains("<td class=\"num\">0.6123</td>").contains("<td class=\"num\">120</td>");
    assertThat(text).contains("<p>the gold reward peaks &amp; falls.</p>");
  }

  @Test
  void customSizeIsHonoured() throws IOException {
    LineChart c = new LineChart("t", "x", "y", List.of(new LineChart.Series("a", new double[] {0, 1}, new double[] {1, 2})), 640, 360);
    new Report("r").chart(c).write(dir);
    BufferedImage img = ImageIO.read(dir.resolve("chart-01.png").toFile());
    assertThat(img.getWidth()).isEqualTo(640);
    assertThat(img.getHeight()).isEqualTo(360);
  }

  @Test
  void badBlocksAreRejectedWithTheirName() {
    assertThatThrownBy(() -> Table.of("agreement", List.of("a", "b"), new Object[] {"x"}))
        .hasMessageContaining("agreement").hasMessageContaining("row 0");
    assertThatThrownBy(() -> new LineChart.Series("gold", new double[2], new double[3])).hasMessageContaining("gold");
    assertThatThrownBy(() -> new LineChart("c", "x", "y", List.of(new LineChart.Series("gold",
        new double[] {Double.NaN}, new double[] {1})))).hasMessageContaining("no finite point");
    assertThatThrownBy(() -> new BarChart.Bar("PPO", 0.5, 0.6, 0.7)).hasMessageContaining("PPO");
    assertThatThrownBy(() -> new LineChart("c", "x", "y", List.of(), 10, 10)).hasMessageContaining("size");
  }

  @Test
  void cellsAreFormattedReadably() {
    assertThat(Html.cell(3)).isEqualTo("3");
    assertThat(Html.cell(2.0)).isEqualTo("2");
    assertThat(Html.cell(0.123456)).isEqualTo("0.1235");
    assertThat(Html.cell(1234.5678)).isEqualTo("1235");
    assertThat(Html.cell(1.5e-7)).isEqualTo("1.500e-07");
    assertThat(Html.cell(Double.NaN)).isEqualTo("–");
    assertThat(Html.cell(null)).isEqualTo("–");
  }
}

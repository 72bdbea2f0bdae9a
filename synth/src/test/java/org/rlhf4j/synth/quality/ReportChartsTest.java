package org.rlhf4j.synth.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

class ReportChartsTest {
  @TempDir Path dir;

  @Test void heatmapCellsAreColouredByCorrelation() throws Exception {
    double[] x = {1, 2, 3, 4, 5}, y = {2, 4, 6, 8, 10}, z = {5, 4, 3, 2, 1};
    Table t = new Table(new Schema(List.of(ColumnSpec.Numeric.unbounded("x", false), ColumnSpec.Numeric.unbounded("y", false),
        ColumnSpec.Numeric.unbounded("z", false))), List.of(new Column.Numeric("x", x), new Column.Numeric("y", y), new Column.Numeric("z", z)));
    Path png = dir.resolve("h.png");
    ReportCharts.correlationHeatmap("real", t, List.of("x", "y", "z"), png);
    BufferedImage img = ImageIO.read(png.toFile());
    // cell (row a, column b) starts at (130 + 52 b, 40 + 52 a); sample a pixel near its corner (away from the label)
    assertThat(new Color(img.getRGB(130 + 52 + 3, 40 + 3))).isEqualTo(ReportCharts.diverging(1)); // x-y: +1
    assertThat(new Color(img.getRGB(130 + 104 + 3, 40 + 3))).isEqualTo(ReportCharts.diverging(-1)); // x-z: -1
    assertThat(ReportCharts.diverging(0)).isEqualTo(Color.WHITE);
    assertThat(ReportCharts.diverging(1)).isEqualTo(new Color(178, 24, 43));
  }

  @Test void reportWritesHtmlJsonAndOnePngPerColumn() throws Exception {
    Table real = UtilityTest.table(300, 1), synth = UtilityTest.table(300, 2);
    QualityReport q = QualityReport.of(real, synth, UtilityTest.table(200, 3), "y", 100, 0);
    Path html = q.write(dir, real, synth);
    assertThat(html).content().contains("Fidelity", "Utility: train on synthetic", "Privacy", "column-04.png", "correlation-synthetic.png");
    for (String f : List.of("quality.json", "column-01.png", "column-04.png", "correlation-real.png")) assertThat(dir.resolve(f)).isNotEmptyFile();
    assertThat(q.fidelity().overall()).isGreaterThan(0.8); // two draws of one distribution
  }
}

package org.rlhf4j.demo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoReportTest {
  @Test
  void trailingMeanAveragesUpToFivePointsAndSkipsNaN() {
    double[] m = DemoReport.trailingMean(new double[] {1, 3, Double.NaN, 5, 7, 9, 11});
    assertThat(m[0]).isEqualTo(1);
    assertThat(m[1]).isEqualTo(2);
    assertThat(m[2]).isEqualTo(2); // NaN skipped
    assertThat(m[4]).isEqualTo(4); // (1 + 3 + 5 + 7) / 4
    assertThat(m[6]).isEqualTo((5 + 7 + 9 + 11) / 4.0); // window 2..6 holds the NaN
    assertThat(DemoReport.trailingMean(new double[] {Double.NaN})[0]).isNaN();
  }
}

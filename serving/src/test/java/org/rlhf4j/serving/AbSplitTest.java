package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbSplitTest {
  @Test void assignmentIsStickyPerUserAndBalanced() {
    AbSplit split = AbSplit.even("exp-1", List.of("v1", "v2"));
    Map<String, Integer> counts = new HashMap<>();
    for (int u = 0; u < 20_000; u++) {
      String arm = split.arm("user-" + u);
      assertThat(split.arm("user-" + u)).isEqualTo(arm); // sticky
      assertThat(AbSplit.even("exp-1", List.of("v1", "v2")).arm("user-" + u)).isEqualTo(arm); // across instances
      counts.merge(arm, 1, Integer::sum);
    }
    // 20,000 fair coin flips: sd 70.7; 4 sd = 283
    assertThat(counts.get("v1")).isBetween(10_000 - 283, 10_000 + 283);
    AbSplit weighted = new AbSplit("exp-2", List.of("a", "b", "c"), new double[] {2, 1, 1});
    int a = 0;
    for (int u = 0; u < 20_000; u++) if (weighted.arm("user-" + u).equals("a")) a++;
    assertThat(a).isBetween(10_000 - 283, 10_000 + 283);
    // another salt reshuffles users (about half change arm)
    AbSplit other = AbSplit.even("exp-3", List.of("v1", "v2"));
    int moved = 0;
    for (int u = 0; u < 2_000; u++) if (!other.arm("user-" + u).equals(split.arm("user-" + u))) moved++;
    assertThat(moved).isBetween(800, 1200);
  }

  @Test void twoProportionTestAgainstHandComputedValues() {
    // 60/100 vs 75/100: pooled 0.675, se = sqrt(0.675*0.325*0.02) = 0.066238, z = 0.15/0.066238 = 2.2646, p = 0.02354
    AbSplit.Comparison c = AbSplit.compare(60, 100, 75, 100);
    assertThat(c.difference()).isCloseTo(0.15, within(1e-12));
    assertThat(c.z()).isCloseTo(2.2646, within(1e-4));
    assertThat(c.pValue()).isCloseTo(0.02354, within(1e-4));
    assertThat(c.significant(0.05)).isTrue();
    assertThat(AbSplit.compare(50, 100, 50, 100).pValue()).isCloseTo(1.0, within(1e-6));
    assertThat(AbSplit.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
  }
}

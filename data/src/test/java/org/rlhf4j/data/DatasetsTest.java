package org.rlhf4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetsTest {

  @Test
  void splitIsAReproduciblePartition() {
    List<Integer> rows = IntStream.range(0, 100).boxed().toList();
    Datasets.Split<Integer> a = Datasets.split(rows, 0.2, 7);
    assertThat(a.test()).hasSize(20);
    assertThat(a.train()).hasSize(80).doesNotContainAnyElementsOf(a.test());
    List<Integer> all = new ArrayList<>(a.train());
    all.addAll(a.test());
    assertThat(all).containsExactlyInAnyOrderElementsOf(rows);
    assertThat(Datasets.split(rows, 0.2, 7)).isEqualTo(a);
    assertThat(Datasets.split(rows, 0.2, 8).test()).isNotEqualTo(a.test());
    assertThatThrownBy(() -> Datasets.split(rows, 1.5, 0)).hasMessageContaining("testFraction");
  }

  @Test
  void pairUnpairsIntoDesirableAndUndesirable() {
    PreferencePair p = PreferencePair.of(Content.text("q"), Content.text("good"), Content.text("bad"));
    assertThat(p.unpaired()).containsExactly(
        new UnpairedExample(Content.text("q"), Content.text("good"), true),
        new UnpairedExample(Content.text("q"), Content.text("bad"), false));
  }
}

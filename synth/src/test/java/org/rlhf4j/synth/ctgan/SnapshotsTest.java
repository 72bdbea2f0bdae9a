package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.synth.Synthesizers;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

class SnapshotsTest {
  @TempDir Path dir;

  @BeforeAll static void threads() { Runtime.threads(1); }

  private static double[] x(Table t) { return ((Column.Numeric) t.column("x")).values(); }

  @Test void snapshotsAreTheModelsOfTheirEpochsAndMixInEqualParts() throws IOException {
    Table real = CtganTest.toy(300, 3);
    Path run = dir.resolve("run");
    new CtganTrainer(CtganTest.toyConfig(3), Device.CPU).fit(real, run, Snapshots.listener(run, 2));
    try (var s = Files.list(run.resolve(Snapshots.DIR))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("epoch-2", "epoch-3"); // every 2 and the last
    }
    Ctgan two = (Ctgan) Synthesizers.load(run.resolve("snapshots/epoch-2"), Device.CPU);
    Ctgan three = (Ctgan) Synthesizers.load(run.resolve("snapshots/epoch-3"), Device.CPU);
    Ctgan trainedTwo = new CtganTrainer(CtganTest.toyConfig(2), Device.CPU).fit(real, null, CtganTrainer.Listener.NONE);
    assertThat(x(two.sample(50, 4))).containsExactly(x(trainedTwo.sample(50, 4)));
    // 101 rows from two models: 51 from the first with seed 9, 50 from the second with seed 10
    Table mixed = Snapshots.sample(List.of(two, three), 101, 9, Ctgan.Conditions.TRAINING);
    assertThat(mixed.rows()).isEqualTo(101);
    double[] m = x(mixed);
    assertThat(Arrays.copyOfRange(m, 0, 51)).containsExactly(x(two.sample(51, 9, Ctgan.Conditions.TRAINING)));
    assertThat(Arrays.copyOfRange(m, 51, 101)).containsExactly(x(three.sample(50, 10, Ctgan.Conditions.TRAINING)));
    assertThatThrownBy(() -> Snapshots.sample(List.of(two, three), 1, 9, Ctgan.Conditions.FREQUENCY)).hasMessageContaining("fewer than the 2 models");
  }

  @Test void topNamesTheBestScoredSnapshots() throws IOException {
    Path run = dir.resolve("r");
    Files.createDirectories(run);
    Files.writeString(run.resolve(CheckpointSelection.LOG),
        "{\"epoch\":10,\"score\":0.5}\n{\"epoch\":20,\"score\":0.7}\n{\"epoch\":30,\"score\":0.6}\n{\"epoch\":40,\"score\":0.7}\n");
    for (int e : new int[] {10, 20, 30}) {
      Files.createDirectories(run.resolve("snapshots/epoch-" + e));
      Files.writeString(run.resolve("snapshots/epoch-" + e + "/synthesizer.json"), "{}");
    }
    assertThat(Snapshots.top(run, 1)).containsExactly(run.resolve("snapshots/epoch-20")); // ties: the earlier epoch
    assertThatThrownBy(() -> Snapshots.top(run, 2)).hasMessageContaining("epoch 40 has no snapshot");
    assertThatThrownBy(() -> Snapshots.top(run, 5)).hasMessageContaining("top 5 asked, 4 epochs were scored");
    assertThatThrownBy(() -> Snapshots.top(dir, 1)).hasMessageContaining("has no selection.jsonl");
  }

  @Test void tablesConcatenateRowsInOrder() {
    Table a = CtganTest.toy(3, 1), b = CtganTest.toy(2, 2);
    Table c = Table.concat(List.of(a, b));
    assertThat(c.rows()).isEqualTo(5);
    assertThat(((Column.Categorical) c.column("kind")).values()).containsExactly(concat(kinds(a), kinds(b)));
    assertThat(x(c)).containsExactly(join(x(a), x(b)));
  }

  private static String[] kinds(Table t) { return ((Column.Categorical) t.column("kind")).values(); }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double[] join(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.synth.Synthesizers;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

class CheckpointSelectionTest {
  @TempDir Path dir;

  @BeforeAll static void threads() { Runtime.threads(1); }

  private static CheckpointSelection.Config every(int n) {
    return new CheckpointSelection.Config("kind", n, CheckpointSelection.Score.F1, "xgboost", Ctgan.Conditions.FREQUENCY, 1);
  }

  @Test void theSplitIsSeededDisjointAndComplete() {
    Table t = CtganTest.toy(500, 1);
    CheckpointSelection.Split a = CheckpointSelection.Split.of(t, 0.2, 4), b = CheckpointSelection.Split.of(t, 0.2, 4);
    assertThat(a.validation().rows()).isEqualTo(100);
    assertThat(a.fit().rows()).isEqualTo(400);
    double[] va = ((Column.Numeric) a.validation().column("x")).values(), fa = ((Column.Numeric) a.fit().column("x")).values();
    assertThat(((Column.Numeric) b.validation().column("x")).values()).containsExactly(va);
    Set<Double> seen = new HashSet<>();
    for (double v : va) seen.add(v);
    for (double v : fa) assertThat(seen.add(v)).as("row in both parts").isTrue(); // x is continuous: rows are distinct
    assertThat(seen).hasSize(500);
    double[] other = ((Column.Numeric) CheckpointSelection.Split.of(t, 0.2, 5).validation().column("x")).values();
    assertThat(other).isNotEqualTo(va);
    assertThatThrownBy(() -> CheckpointSelection.Split.of(t, 1.0, 4)).hasMessageContaining("must be in (0, 1)");
  }

  /** Selection only samples: the weights are those of a run without it, and best/ is the generator of its best line. */
  @Test void selectionKeepsTheBestGeneratorAndChangesNoTraining() throws IOException {
    CheckpointSelection.Split split = CheckpointSelection.Split.of(CtganTest.toy(600, 3), 0.25, 1);
    Path a = dir.resolve("a");
    CheckpointSelection sel = new CheckpointSelection(every(1), split, a);
    Ctgan selected = new CtganTrainer(CtganTest.toyConfig(3), Device.CPU).fit(split.fit(), a, sel);
    Ctgan plain = new CtganTrainer(CtganTest.toyConfig(3), Device.CPU).fit(split.fit(), null, CtganTrainer.Listener.NONE);
    assertThat(x(selected.sample(200, 5))).containsExactly(x(plain.sample(200, 5)));
    List<JsonNode> lines = lines(a);
    assertThat(lines).extracting(l -> l.path("epoch").asInt()).containsExactly(1, 2, 3);
    JsonNode best = sel.best();
    assertThat(lines.stream().mapToDouble(l -> l.path("score").asDouble()).max().orElseThrow()).isEqualTo(best.path("score").asDouble());
    for (JsonNode l : lines) assertThat(l.path("score").asDouble()).isEqualTo(l.path("f1").asDouble()).isBetween(0.0, 1.0);
    Ctgan atBest = new CtganTrainer(CtganTest.toyConfig(best.path("epoch").asInt()), Device.CPU).fit(split.fit(), null, CtganTrainer.Listener.NONE);
    double[] fromBest = x(Synthesizers.load(a.resolve(CheckpointSelection.BEST), Device.CPU).sample(200, 5));
    assertThat(fromBest).containsExactly(x(atBest.sample(200, 5)));
  }

  /** A stale line (an epoch evaluated by a run that stopped before checkpointing it) is replaced when the epoch is replayed. */
  @Test void aResumedRunReplaysTheEvaluationsAfterItsCheckpoint() throws IOException {
    CheckpointSelection.Split split = CheckpointSelection.Split.of(CtganTest.toy(600, 3), 0.25, 1);
    Path a = dir.resolve("a"), b = dir.resolve("b");
    new CtganTrainer(CtganTest.toyConfig(4).withCheckpointEvery(2), Device.CPU).fit(split.fit(), a, new CheckpointSelection(every(2), split, a));
    new CtganTrainer(CtganTest.toyConfig(2).withCheckpointEvery(2), Device.CPU).fit(split.fit(), b, new CheckpointSelection(every(2), split, b));
    Files.writeString(b.resolve(CheckpointSelection.LOG), "{\"epoch\":4,\"score\":99.0,\"f1\":99.0}\n", StandardOpenOption.APPEND);
    CheckpointSelection resumed = new CheckpointSelection(every(2), split, b);
    new CtganTrainer(CtganTest.toyConfig(4).withCheckpointEvery(2), Device.CPU).fit(split.fit(), b, resumed);
    assertThat(lines(b)).extracting(l -> l.path("score").asDouble()).containsExactlyElementsOf(
        lines(a).stream().map(l -> l.path("score").asDouble()).toList());
    assertThat(resumed.best().path("score").asDouble()).isLessThanOrEqualTo(1.0);
  }

  @Test void badSettingsNameTheProblem() {
    assertThatThrownBy(() -> every(0)).hasMessageContaining("every must be >= 1");
    assertThatThrownBy(() -> new CheckpointSelection.Config("kind", 1, CheckpointSelection.Score.F1, "svm", Ctgan.Conditions.FREQUENCY, 1))
        .hasMessageContaining("xgboost or logistic_regression");
    CheckpointSelection.Split split = CheckpointSelection.Split.of(CtganTest.toy(100, 3), 0.2, 1);
    assertThatThrownBy(() -> new CheckpointSelection(new CheckpointSelection.Config("x", 1, CheckpointSelection.Score.AUC, "xgboost",
        Ctgan.Conditions.FREQUENCY, 1), split, dir)).hasMessageContaining("'x' must be categorical");
  }

  private static double[] x(Table t) { return ((Column.Numeric) t.column("x")).values(); }

  private static List<JsonNode> lines(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(run.resolve(CheckpointSelection.LOG))) out.add(new ObjectMapper().readTree(l));
    return out;
  }
}

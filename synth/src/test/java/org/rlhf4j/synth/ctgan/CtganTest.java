package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.common.Progress;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.synth.Synthesizers;
import org.rlhf4j.synth.quality.Fidelity;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;

class CtganTest {
  @TempDir Path dir;

  @BeforeAll static void threads() { Runtime.threads(1); }

  /**
   * A seeded toy table with a known distribution: kind a / b / r with probabilities 0.6 / 0.3 / 0.1; x given the kind
   * N(0, 1), N(6, 0.5) or N(-5, 0.5); n = round(2 + x / 2 + N(0, 0.5)) an integer column, clamped to [0, 10].
   */
  static Table toy(int rows, long seed) {
    Random r = new Random(seed);
    String[] kind = new String[rows];
    double[] x = new double[rows], n = new double[rows];
    for (int i = 0; i < rows; i++) {
      double u = r.nextDouble();
      kind[i] = u < 0.6 ? "a" : u < 0.9 ? "b" : "r";
      x[i] = kind[i].equals("a") ? r.nextGaussian() : kind[i].equals("b") ? 6 + 0.5 * r.nextGaussian() : -5 + 0.5 * r.nextGaussian();
      n[i] = Math.max(0, Math.min(10, Math.rint(2 + x[i] / 2 + 0.5 * r.nextGaussian())));
    }
    Schema s = new Schema(List.of(new ColumnSpec.Categorical("kind"), ColumnSpec.Numeric.unbounded("x", false),
        new ColumnSpec.Numeric("n", true, 0, 10)));
    return new Table(s, List.of(new Column.Categorical("kind", kind), new Column.Numeric("x", x), new Column.Numeric("n", n)));
  }

  /** A narrower CTGAN (embedding 32, layers of 64) at lr 1e-3 so the test learns the toy table in 600 steps. */
  static CtganConfig toyConfig(int epochs) {
    return new CtganConfig(epochs, 100, 32, List.of(64, 64), List.of(64, 64), 1e-3, 1e-3, 1e-6, 10, 1, 10, 0.2, 1, 10, 0);
  }

  @Test void syntheticColumnsPassKsAndTvThresholds() throws IOException {
    Table real = toy(1000, 1);
    Ctgan model = new CtganTrainer(toyConfig(60), Device.CPU).fit(real, null, CtganTrainer.Listener.NONE);
    Table synth = model.sample(2000, 7);
    Fidelity.Result f = Fidelity.of(toy(2000, 2), synth);
    System.out.println("ctgan toy fidelity: " + f.columnShapes() + " pairs " + f.trends() + " overall " + f.overall());
    // measured (seed 1, this config, one Zen 4 core): kind 0.996, x 0.945, n 0.854, pairs 0.817; 30 epochs of the
    // full-size defaults scored x 0.568, n 0.72, pairs 0.39 -- the thresholds separate a trained model from a poor one
    assertThat(f.columnShapes().get("kind")).as("TV complement of kind").isGreaterThan(0.95);
    assertThat(f.columnShapes().get("x")).as("KS complement of the bimodal x").isGreaterThan(0.85);
    assertThat(f.columnShapes().get("n")).as("KS complement of the integer n").isGreaterThan(0.80);
    assertThat(f.trends()).as("pair trends").isGreaterThan(0.75);
    double[] n = ((Column.Numeric) synth.column("n")).values();
    for (double v : n) assertThat(v).isBetween(0.0, 10.0).isEqualTo(Math.rint(v)); // integer column within its bounds
    // conditioned on kind, every row asks for a kind in its training proportions (the table's counts, not 0.6/0.3/0.1)
    // and the trained generator writes the category it is asked for: the sample's shares are the table's
    Table byKind = model.sample(2000, 8, Ctgan.Conditions.column("kind"));
    var trainCounts = ((Column.Categorical) real.column("kind")).counts();
    var synthCounts = ((Column.Categorical) byKind.column("kind")).counts();
    for (String k : trainCounts.keySet()) {
      assertThat(synthCounts.getOrDefault(k, 0) / 2000.0).as("share of kind %s", k).isCloseTo(trainCounts.get(k) / 1000.0, within(0.01));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.sample(10, 8, Ctgan.Conditions.column("x")))
        .hasMessageContaining("'x' is not a discrete column of this model (discrete: [kind])");
  }

  @Test void resumedRunEqualsTheUninterruptedOne() throws IOException { resumesExactly(toyConfig(2)); }

  /** The generator's weight average is in the checkpoint: a resumed run continues it to the same model. */
  @Test void resumedRunWithTheWeightAverageEqualsTheUninterruptedOne() throws IOException { resumesExactly(toyConfig(2).withGeneratorEma(0.9)); }

  private void resumesExactly(CtganConfig two) throws IOException {
    Table real = toy(300, 3);
    Path a = dir.resolve("a"), b = dir.resolve("b");
    Ctgan straight = new CtganTrainer(two, Device.CPU).fit(real, a, CtganTrainer.Listener.NONE);
    new CtganTrainer(two.withEpochs(1).withCheckpointEvery(1), Device.CPU).fit(real, b, CtganTrainer.Listener.NONE);
    Ctgan resumed = new CtganTrainer(two, Device.CPU).fit(real, b, CtganTrainer.Listener.NONE);
    assertThat(Files.readAllLines(b.resolve("metrics.jsonl"))).hasSize(2);
    double[] x1 = ((Column.Numeric) straight.sample(200, 5).column("x")).values();
    double[] x2 = ((Column.Numeric) resumed.sample(200, 5).column("x")).values();
    assertThat(x2).containsExactly(x1);
    // the saved folder loads back and samples the same rows
    double[] x3 = ((Column.Numeric) Synthesizers.load(b, Device.CPU).sample(200, 5).column("x")).values();
    assertThat(x3).containsExactly(x1);
  }

  /**
   * With the average on, the live networks train exactly as without it (same critic and generator in the checkpoint),
   * while the saved model is the average, which the checkpoint holds too, and which differs from the live generator.
   */
  @Test void theWeightAverageLeavesTrainingAloneAndIsWhatIsSaved() throws IOException {
    Table real = toy(300, 3);
    Path plain = dir.resolve("plain"), avg = dir.resolve("avg");
    new CtganTrainer(toyConfig(2), Device.CPU).fit(real, plain, CtganTrainer.Listener.NONE);
    List<Ctgan> told = new ArrayList<>();
    Ctgan averaged = new CtganTrainer(toyConfig(2).withGeneratorEma(0.9), Device.CPU).fit(real, avg, (e, n, m, model) -> told.add(model));
    Path cp = plain.resolve("checkpoints/epoch-2"), ca = avg.resolve("checkpoints/epoch-2");
    assertThat(ca.resolve("generator.safetensors")).hasSameBinaryContentAs(cp.resolve("generator.safetensors"));
    assertThat(ca.resolve("discriminator.safetensors")).hasSameBinaryContentAs(cp.resolve("discriminator.safetensors"));
    assertThat(cp.resolve(GeneratorEma.FILE)).doesNotExist();
    assertThat(avg.resolve(Ctgan.WEIGHTS)).hasSameBinaryContentAs(ca.resolve(GeneratorEma.FILE));
    assertThat(Files.readAllBytes(avg.resolve(Ctgan.WEIGHTS))).isNotEqualTo(Files.readAllBytes(ca.resolve("generator.safetensors")));
    assertThat(told).containsOnly(averaged); // the listeners (selection, snapshots) see the average
    double[] xa = ((Column.Numeric) averaged.sample(200, 5).column("x")).values();
    double[] xp = ((Column.Numeric) Synthesizers.load(plain, Device.CPU).sample(200, 5).column("x")).values();
    assertThat(xa).isNotEqualTo(xp);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new CtganTrainer(toyConfig(3), Device.CPU).fit(real, avg, CtganTrainer.Listener.NONE))
        .as("a run resumed without the average it was started with").hasMessageContaining("holds a CTGAN run with other settings");
  }

  /** Issue 15: progress goes through the installed Reporter (library code never prints), starting where a resume does. */
  @Test void progressGoesThroughTheReporter() throws IOException {
    Table real = toy(300, 3);
    Path b = dir.resolve("p");
    new CtganTrainer(toyConfig(1).withCheckpointEvery(1), Device.CPU).fit(real, b, CtganTrainer.Listener.NONE);
    List<String> seen = new ArrayList<>();
    Reporter old = Reporter.set(new Reporter() {
      @Override public void info(String m) { seen.add("info " + m); }
      @Override public void warn(String m) { seen.add("warn " + m); }
      @Override public Progress progress(String task, long start, long total) {
        seen.add("progress " + task + " " + start + "/" + total);
        return new Progress() {
          @Override public void update(long done, String status, boolean milestone) {
            seen.add("update " + done + (milestone ? " milestone " : " ") + status.replaceAll("[0-9.-]+", "N"));
          }
          @Override public void close() { seen.add("close"); }
        };
      }
    });
    try {
      new CtganTrainer(toyConfig(2), Device.CPU).fit(real, b, CtganTrainer.Listener.NONE);
    } finally {
      Reporter.set(old);
    }
    assertThat(seen).containsExactly("info ctgan: resuming after epoch 1 of 2 (" + b + ")", "progress epoch 1/2",
        "update 2 milestone loss/generator N | loss/discriminator N", "close");
  }

  @Test void aFolderHoldingOtherSettingsIsRefused() throws IOException {
    Table real = toy(300, 3);
    Path a = dir.resolve("a");
    new CtganTrainer(toyConfig(1), Device.CPU).fit(real, a, CtganTrainer.Listener.NONE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new CtganTrainer(toyConfig(2).withSeed(9), Device.CPU).fit(real, a, CtganTrainer.Listener.NONE))
        .hasMessageContaining("holds a CTGAN run with other settings");
  }
}

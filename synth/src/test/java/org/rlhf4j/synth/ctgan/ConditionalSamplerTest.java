package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.ColumnSpec;
import org.rlhf4j.synth.table.Schema;
import org.rlhf4j.synth.table.Table;
import org.rlhf4j.synth.transform.DataTransformer;

class ConditionalSamplerTest {
  /** 1,000 rows: a rare column with counts 900 / 90 / 10 and a balanced one with 500 / 500. */
  static Table table() {
    String[] rare = new String[1000], even = new String[1000];
    double[] x = new double[1000];
    for (int i = 0; i < 1000; i++) {
      rare[i] = i < 900 ? "common" : i < 990 ? "uncommon" : "rare";
      even[i] = i % 2 == 0 ? "a" : "b";
      x[i] = i;
    }
    return new Table(new Schema(List.of(new ColumnSpec.Categorical("rare"), ColumnSpec.Numeric.unbounded("x", true),
        new ColumnSpec.Categorical("even"))),
        List.of(new Column.Categorical("rare", rare), new Column.Numeric("x", x), new Column.Categorical("even", even)));
  }

  @Test void trainingBySamplingPicksEachCategoryAtItsLogFrequencyRate() {
    Table t = table();
    ConditionalSampler s = ConditionalSampler.forTraining(DataTransformer.fit(t), t);
    assertThat(s.width()).isEqualTo(5);
    int n = 200_000;
    ConditionalSampler.Draw d = s.train(n, new Random(7));
    int[] rareCounts = new int[3];
    int rareColumn = 0;
    for (int i = 0; i < n; i++) {
      if (d.column()[i] == 0) {
        rareColumn++;
        rareCounts[d.category()[i]]++;
      }
    }
    // the column is uniform over the two discrete columns
    assertThat((double) rareColumn / n).isCloseTo(0.5, within(0.005));
    // categories by log(1 + count): log 901, log 91, log 11 = 6.8035, 4.5109, 2.3979, normalised 0.4962, 0.3290, 0.1749 (by hand)
    double z = Math.log(901) + Math.log(91) + Math.log(11);
    assertThat(Math.log(901) / z).isCloseTo(0.4962, within(1e-4));
    assertThat(Math.log(11) / z).isCloseTo(0.1749, within(1e-4));
    double[] expected = {Math.log(901) / z, Math.log(91) / z, Math.log(11) / z};
    for (int k = 0; k < 3; k++) {
      double p = expected[k], se = Math.sqrt(p * (1 - p) / rareColumn);
      assertThat((double) rareCounts[k] / rareColumn).as("category %d", k).isCloseTo(p, within(4 * se));
    }
    // the rare category (1% of rows) is asked for about 18% of the time in its column
    assertThat((double) rareCounts[2] / rareColumn).isGreaterThan(0.17);
    // every conditional vector is one-hot on the chosen column's category
    for (int i = 0; i < 1000; i++) {
      float sum = 0;
      for (int j = 0; j < 5; j++) sum += d.cond()[i * 5 + j];
      assertThat(sum).isEqualTo(1f);
      assertThat(d.cond()[i * 5 + s.condOffset(d.column()[i]) + d.category()[i]]).isEqualTo(1f);
    }
  }

  @Test void realRowsHoldTheConditionedCategory() {
    Table t = table();
    ConditionalSampler s = ConditionalSampler.forTraining(DataTransformer.fit(t), t);
    Random rng = new Random(3);
    ConditionalSampler.Draw d = s.train(500, rng);
    int[] order = CtganTrainer.permutation(500, rng);
    int[] rows = s.rows(d, order, t.rows(), rng);
    String[][] cols = {((Column.Categorical) t.column("rare")).values(), ((Column.Categorical) t.column("even")).values()};
    List<List<String>> cats = List.of(List.of("common", "uncommon", "rare"), List.of("a", "b"));
    for (int i = 0; i < 500; i++) {
      int c = d.column()[order[i]];
      assertThat(cols[c][rows[i]]).isEqualTo(cats.get(c).get(d.category()[order[i]]));
    }
  }

  @Test void generationFollowsTheTrainingFrequencies() {
    ConditionalSampler s = ConditionalSampler.forGeneration(DataTransformer.fit(table()));
    int n = 200_000, rare = 0, inColumn = 0;
    ConditionalSampler.Draw d = s.original(n, new Random(11));
    for (int i = 0; i < n; i++) {
      if (d.column()[i] == 0) {
        inColumn++;
        if (d.category()[i] == 2) rare++;
      }
    }
    assertThat((double) rare / inColumn).isCloseTo(0.01, within(0.002));
  }

  @Test void proportionalConditionsHoldTheTrainingCountsExactly() {
    ConditionalSampler s = ConditionalSampler.forGeneration(DataTransformer.fit(table()));
    // 333 rows of the 900 / 90 / 10 column: exact shares 299.7, 29.97, 3.33; floors 299 + 29 + 3 = 331, the two
    // left go to the largest remainders (0.97 and 0.7): 300, 30, 3 (by hand)
    int[] cats = s.proportional(0, 333, new Random(5));
    int[] counts = new int[3];
    for (int c : cats) counts[c]++;
    assertThat(counts).containsExactly(300, 30, 3);
    assertThat(java.util.Arrays.equals(cats, java.util.Arrays.stream(cats).sorted().toArray())).as("shuffled, not sorted").isFalse();
    ConditionalSampler.Draw d = s.fixed(0, cats, 300, 50, new Random(6)); // 33 given, 17 padding rows
    for (int i = 0; i < 50; i++) {
      assertThat(d.column()[i]).isZero();
      if (i < 33) assertThat(d.category()[i]).isEqualTo(cats[300 + i]);
      assertThat(d.cond()[i * 5 + s.condOffset(0) + d.category()[i]]).isEqualTo(1f);
    }
  }
}

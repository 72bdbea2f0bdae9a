package org.rlhf4j.privacy.anon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/** k-anonymity, l-diversity, t-closeness by lattice search, checked by an independent grouping of the output. */
class AnonymizerTest {
  static final List<String> ADULT = List.of("age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
      "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income");
  static final List<String> QUASI = List.of("age", "sex", "race", "native-country", "education");

  static Path hierarchies() throws Exception {
    return Path.of(AnonymizerTest.class.getResource("/adult-hierarchies.yaml").toURI());
  }

  @Test void adultAtK5L2WithLittleSuppression() throws Exception {
    Table adult = Table.read(Shared.require("data/adult/adult.data"), ADULT);
    assertThat(adult.rows()).hasSize(32_561);
    Map<String, Hierarchy> hs = Hierarchies.read(hierarchies(), adult, QUASI);
    Anonymizer.Result r = Anonymizer.anonymize(adult, hs, new AnonymityConfig(QUASI, "occupation", 5, 2, 1.0, 0.05));
    assertThat(r.suppressedFraction()).isLessThan(0.05);
    SensitiveStats.Check c = SensitiveStats.check(r.table(), QUASI, "occupation");
    assertThat(c.minClassSize()).isGreaterThanOrEqualTo(5);
    assertThat(c.minDistinctSensitive()).isGreaterThanOrEqualTo(2);
    assertThat(c.classes()).isEqualTo(r.classes());
    assertThat(r.table().rows()).hasSize(r.rows() - r.suppressed());
    assertThat(r.ncp()).isBetween(0.0, 1.0);
    // Exact values everywhere would break k = 5: something was generalised.
    assertThat(r.levels().values().stream().mapToInt(Integer::intValue).sum()).isPositive();
  }

  @Test void tClosenessBoundsEachClassDistribution() throws Exception {
    Table adult = Table.read(Shared.require("data/adult/adult.data"), ADULT);
    Map<String, Hierarchy> hs = Hierarchies.read(hierarchies(), adult, List.of("age", "sex"));
    Anonymizer.Result r = Anonymizer.anonymize(adult, hs, new AnonymityConfig(List.of("age", "sex"), "income", 10, 2, 0.2, 0.05));
    assertThat(r.maxTCloseness()).isLessThanOrEqualTo(0.2);
    assertThat(r.minClassSize()).isGreaterThanOrEqualTo(10);
  }

  @Test void smallTableByHand(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("t.csv"), "age,zip,disease\n31,12345,flu\n33,12346,cold\n37,12377,flu\n52,54321,cold\n58,54329,flu\n");
    Path h = Files.writeString(dir.resolve("h.yaml"), "age: {type: interval, widths: [10, 50]}\nzip: {type: prefix, length: 5}\n");
    Table t = Table.read(csv, null);
    Anonymizer.Result r = Anonymizer.anonymize(t, Hierarchies.read(h, t, List.of("age", "zip")),
        new AnonymityConfig(List.of("age", "zip"), "disease", 2, 2, 1.0, 0.0));
    // Ages to decades and ZIPs to three digits give {30-39, 123**} x3 and {50-59, 543**} x2.
    assertThat(r.levels()).containsEntry("age", 1).containsEntry("zip", 2);
    assertThat(r.table().rows()).extracting(row -> row[0] + "/" + row[1])
        .containsExactly("30-39/123**", "30-39/123**", "30-39/123**", "50-59/543**", "50-59/543**");
    assertThat(r.discernibility()).isEqualTo(9 + 4);
  }

  @Test void hostileInputGetsClearErrors(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("t.csv"), "age,zip\n31,12345\n33,12346\n");
    Table t = Table.read(csv, null);
    assertThatThrownBy(() -> Anonymizer.anonymize(t, Map.of(), new AnonymityConfig(List.of("height"), null, 2, 1, 1, 0)))
        .hasMessage("unknown column 'height' (columns: age, zip)");
    Map<String, Hierarchy> flat = Hierarchies.read(null, t, List.of("age"));
    assertThatThrownBy(() -> Anonymizer.anonymize(t, flat, new AnonymityConfig(List.of("age"), null, 5, 1, 1, 0)))
        .hasMessage("k = 5 is larger than the table (2 rows)");
    assertThatThrownBy(() -> new AnonymityConfig(List.of("age"), null, 2, 2, 1, 0)).hasMessageContaining("need a sensitive column");
    Path bad = Files.writeString(dir.resolve("h.yaml"), "age: {type: interval, widths: [10]}\nheight: {type: flat}\n");
    assertThatThrownBy(() -> Hierarchies.read(bad, t, List.of("age"))).hasMessageContaining("hierarchy for 'height', which is not a column (age, zip)");
    Path ragged = Files.writeString(dir.resolve("r.csv"), "a,b\n1,2\n3\n");
    assertThatThrownBy(() -> Table.read(ragged, null)).hasMessage(ragged + ":3: 1 cells, expected 2 (a,b)");
    Path tree = Files.writeString(dir.resolve("tree.yaml"), "zip: {type: tree, parents: {\"12345\": North}}\n");
    assertThatThrownBy(() -> Anonymizer.anonymize(t, Hierarchies.read(tree, t, List.of("zip")), new AnonymityConfig(List.of("zip"), null, 2, 1, 1, 0)))
        .hasMessage("zip, row 2: value '12346' is not in the generalisation tree");
  }
}

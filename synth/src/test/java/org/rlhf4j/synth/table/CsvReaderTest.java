package org.rlhf4j.synth.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

class CsvReaderTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test void infersNumericIntegerCategoricalAndMissing() throws IOException {
    Path csv = file("t.csv", "age,city,score\n30,Paris,1.5\n41,?,2.25\n?,Rome,3\n");
    Table t = CsvReader.read(csv, SchemaFile.none());
    assertThat(t.schema().column(0)).isEqualTo(new ColumnSpec.Numeric("age", true, 30, 41));
    assertThat(t.schema().column(1)).isEqualTo(new ColumnSpec.Categorical("city"));
    assertThat(t.schema().column(2)).isEqualTo(new ColumnSpec.Numeric("score", false, 1.5, 3));
    assertThat(((Column.Numeric) t.column("age")).values()).containsExactly(30, 41, Double.NaN);
    assertThat(((Column.Categorical) t.column("city")).values()).containsExactly("Paris", "?", "Rome");
  }

  @Test void schemaFileOverridesTypesBoundsAndLayout() throws IOException {
    Path csv = file("t.csv", "|a comment line\n1, x, 7.\n2, y, 8.\n3, x, 7.\n");
    Path yaml = file("s.yaml", "header: false\ncomment: '|'\ncolumns:\n  code: {type: categorical}\n  kind: {}\n"
        + "  label: {type: categorical, replace: {'7.': '7'}}\n");
    Table t = CsvReader.read(csv, SchemaFile.read(yaml));
    assertThat(t.schema().names()).containsExactly("code", "kind", "label");
    assertThat(((Column.Categorical) t.column("code")).values()).containsExactly("1", "2", "3");
    assertThat(((Column.Categorical) t.column("label")).values()).containsExactly("7", "8.", "7");
    Path bounds = file("b.yaml", "columns:\n  v: {min: 0, max: 100, integer: false}\n");
    Table b = CsvReader.read(file("b.csv", "v\n3\n5\n"), SchemaFile.read(bounds));
    assertThat(b.schema().column(0)).isEqualTo(new ColumnSpec.Numeric("v", false, 0, 100));
  }

  @Test void raggedRowNamesFileAndLine() throws IOException {
    Path csv = file("r.csv", "a,b,c\n1,2,3\n4,5\n");
    assertThatThrownBy(() -> CsvReader.read(csv, SchemaFile.none())).hasMessage(csv + ":3: row has 2 values, expected 3 (a, b, c)");
  }

  @Test void allMissingColumnIsNamed() throws IOException {
    Path csv = file("m.csv", "a,b\n1,?\n2,\n3,NA\n");
    assertThatThrownBy(() -> CsvReader.read(csv, SchemaFile.none()))
        .hasMessage(csv + ": column 'b' has no values (all 3 rows are missing); drop it");
  }

  @Test void constantColumnIsNamed() throws IOException {
    Path csv = file("c.csv", "a,b,k\n1,x,7\n2,y,7\n3,x,7\n");
    assertThatThrownBy(() -> CsvReader.read(csv, SchemaFile.none()))
        .hasMessage(csv + ": column 'k' is constant ('7' in every row): there is nothing to learn from it; drop it");
    Path cat = file("c2.csv", "a,b\n1,same\n2,same\n");
    assertThatThrownBy(() -> CsvReader.read(cat, SchemaFile.none())).hasMessageContaining("column 'b' is constant");
  }

  @Test void wronglyTypedColumnNamesFileLineAndValue() throws IOException {
    Path csv = file("w.csv", "age,city\n30,Paris\n41,Rome\n");
    Path yaml = file("w.yaml", "columns:\n  city: {type: numeric}\n");
    assertThatThrownBy(() -> CsvReader.read(csv, SchemaFile.read(yaml)))
        .hasMessage(csv + ":2: column 'city' is typed numeric in the schema file but holds 'Paris'");
  }

  @Test void schemaFileMistakesAreNamed() throws IOException {
    Path csv = file("t.csv", "a,b\n1,x\n2,y\n");
    Path unknownType = file("u.yaml", "columns:\n  a: {type: float}\n");
    assertThatThrownBy(() -> SchemaFile.read(unknownType)).hasMessage(unknownType + ": column 'a': type 'float' is neither numeric nor categorical");
    Path unknownKey = file("k.yaml", "columns:\n  a: {typ: numeric}\n");
    assertThatThrownBy(() -> SchemaFile.read(unknownKey)).hasMessageContaining("column 'a': unknown key 'typ'");
    Path unknownColumn = file("n.yaml", "columns:\n  zz: {type: numeric}\n");
    assertThatThrownBy(() -> CsvReader.read(csv, SchemaFile.read(unknownColumn))).hasMessageContaining("names column 'zz', which the file does not have");
  }

  @Test void readsAdultWithItsSchemaFile() throws IOException {
    Path data = Shared.require("data/adult/adult.test");
    Path yaml = dir.resolve("adult.yaml");
    try (var in = getClass().getResourceAsStream("/org/rlhf4j/synth/adult.yaml")) {
      Files.copy(in, yaml);
    }
    Table t = CsvReader.read(data, SchemaFile.read(yaml));
    assertThat(t.rows()).isEqualTo(16281);
    assertThat(((Column.Categorical) t.column("income")).counts()).containsOnlyKeys("<=50K", ">50K");
    assertThat(((Column.Categorical) t.column("workclass")).counts()).containsKey("?");
    assertThat(t.schema().column(t.schema().indexOf("age"))).isInstanceOf(ColumnSpec.Numeric.class);
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j anonymize} on a small table, and its one-line errors. */
class AnonymizeCommandTest {
  @TempDir Path dir;

  @Test void anonymizesAndReports() throws Exception {
    Path in = Files.writeString(dir.resolve("t.csv"), "age,zip,disease\n31,12345,flu\n33,12346,cold\n37,12377,flu\n52,54321,cold\n58,54329,flu\n");
    Path h = Files.writeString(dir.resolve("h.yaml"), "age: {type: interval, widths: [10, 50]}\nzip: {type: prefix, length: 5}\n");
    Path out = dir.resolve("out.csv");
    CliRun r = CliRun.of("anonymize", "--in", in.toString(), "--out", out.toString(), "--quasi", "age,zip", "--k", "2", "--l", "2",
        "--sensitive", "disease", "--hierarchies", h.toString(), "--max-suppression", "0", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("min_class_size").asInt()).isEqualTo(2);
    assertThat(j.get("min_distinct_sensitive").asInt()).isEqualTo(2);
    assertThat(Files.readAllLines(out)).first().isEqualTo("age,zip,disease");
  }

  @Test void unknownColumnsAndTooLargeKAreOneLine() throws Exception {
    Path in = Files.writeString(dir.resolve("t.csv"), "age,zip\n31,12345\n33,12346\n");
    CliRun unknown = CliRun.of("anonymize", "--in", in.toString(), "--out", dir.resolve("o.csv").toString(), "--quasi", "age,height", "--k", "2");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err().strip()).isEqualTo("rlhf4j anonymize: error: unknown column 'height' (columns: age, zip)");
    CliRun big = CliRun.of("anonymize", "--in", in.toString(), "--out", dir.resolve("o.csv").toString(), "--quasi", "age", "--k", "3");
    assertThat(big.err().strip()).isEqualTo("rlhf4j anonymize: error: k = 3 is larger than the table (2 rows)");
    assertThat(Files.exists(dir.resolve("o.csv"))).isFalse();
  }
}

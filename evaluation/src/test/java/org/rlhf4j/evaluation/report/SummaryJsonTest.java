package org.rlhf4j.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.evaluation.WinRate;

class SummaryJsonTest {
  @TempDir Path dir;

  @Test
  void writesSortedNestedJsonThatReadsBack() throws IOException {
    Map<String, Object> inner = new HashMap<>();
    inner.put("zeta", 1);
    inner.put("alpha", List.of(1.5, 2.5));
    Map<String, Object> summary = new HashMap<>();
    summary.put("win_rate", new WinRate(0.6, 0.5, 0.7, 100));
    summary.put("method", "ppo");
    summary.put("details", inner);
    Path file = SummaryJson.write(dir.resolve("out"), summary);
    assertThat(file).isEqualTo(dir.resolve("out/summary.json"));
    String text = Files.readString(file);
    assertThat(text.indexOf("\"details\"")).isLessThan(text.indexOf("\"method\""));
    assertThat(text.indexOf("\"method\"")).isLessThan(text.indexOf("\"win_rate\""));
    assertThat(text.indexOf("\"alpha\"")).isLessThan(text.indexOf("\"zeta\""));
    JsonNode back = new ObjectMapper().readTree(text);
    assertThat(back.at("/win_rate/rate").asDouble()).isEqualTo(0.6);
    assertThat(back.at("/win_rate/n").asInt()).isEqualTo(100);
    assertThat(back.at("/details/alpha/1").asDouble()).isEqualTo(2.5);
    assertThat(SummaryJson.write(dir.resolve("out"), summary)).hasContent(text.strip());
  }
}

package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testkit.Shared;

class GenerateCommandTest {

  private static CliRun run(String... args) { return CliRun.of(args); }

  @Test
  void jsonOutputReproducesTheReferenceStory() throws Exception {
    Path dir = Shared.require("fixtures/stories260K");
    JsonNode tc = new ObjectMapper().readTree(dir.resolve("expected.json").toFile()).get("text_case");
    CliRun r = run("generate", "--model", dir.toString(), "--prompt", tc.get("prompt_text").asText(), "--max-new-tokens", "20", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("prompt_ids")).isEqualTo(tc.get("prompt_ids"));
    for (int i = 0; i < 20; i++) assertThat(o.get("output_ids").get(i).asLong()).isEqualTo(tc.get("greedy_ids").get(i).asLong());
    assertThat(o.get("logprobs").size()).isEqualTo(20);
    assertThat(o.get("text").asText()).isNotBlank();
    assertThat(tc.get("greedy_text").asText()).startsWith(o.get("text").asText().strip());
  }

  @Test
  void seededSamplingIsReproducibleFromTheCommandLine() {
    Path dir = Shared.require("fixtures/stories260K");
    String[] args = {"generate", "--model", dir.toString(), "--prompt", "Once upon a time", "--max-new-tokens", "12",
        "--temperature", "0.9", "--top-p", "0.9", "--top-k", "40", "--seed", "7", "--json"};
    assertThat(run(args).out()).isEqualTo(run(args).out());
  }

  @Test
  void badInputGivesOneLineErrorAndNonZeroExit() {
    CliRun missing = run("generate", "--model", "/nonexistent/model", "--prompt", "hi");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).doesNotContain("\n").contains("/nonexistent/model");
    CliRun badTemp = run("generate", "--model", Shared.require("fixtures/stories260K").toString(), "--prompt", "hi", "--temperature", "-1");
    assertThat(badTemp.code()).isNotZero();
    assertThat(badTemp.err()).contains("temperature").doesNotContain("\tat ");
    CliRun noTokenizer = run("generate", "--model", Shared.require("fixtures/gpt2-tiny").toString(), "--prompt", "hi");
    assertThat(noTokenizer.code()).isNotZero();
    assertThat(noTokenizer.err()).contains("tokenizer.json").doesNotContain("\tat ");
  }
}

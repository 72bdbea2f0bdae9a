package org.rlhf4j.demo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quick demo end to end and checks that the report and summary hold sane numbers. */
class DemoPipelineTest {
  @TempDir Path out;

  @Test
  void quickDemoWritesReportAndSaneSummary() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path summary = new DemoPipeline(DemoConfig.quick(out, 1, false), new PrintStream(log, true)).run();
    System.out.println(log);
    JsonNode s = new ObjectMapper().readTree(summary.toFile());
    assertThat(out.resolve("report.html")).exists();
    try (var pngs = Files.list(out).filter(p -> p.toString().endsWith(".png"))) {
      assertThat(pngs.count()).isGreaterThanOrEqualTo(2);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("Rater agreement").contains(".png");
    for (String policy : new String[] {"best_of_n"}) {
      double win = s.at("/" + policy + "/gold_win_rate_vs_sft").asDouble(Double.NaN);
      assertThat(win).as(policy + " gold win rate").isBetween(0.0, 1.0);
      assertThat(s.at("/" + policy + "/kl").asDouble(Double.NaN)).as(policy + " KL").isFinite().isGreaterThanOrEqualTo(0.0);
    }
    assertThat(s.at("/rater_agreement/fleiss_kappa").asDouble(Double.NaN)).as("raters agree more than chance").isBetween(0.05, 1.0);
    assertThat(s.at("/rater_agreement/label_gold_agreement").asDouble(0)).as("majority labels mostly match gold").isGreaterThan(0.6);
    assertThat(s.at("/reward_model/heldout_accuracy").asDouble(0)).as("reward model beats chance").isGreaterThan(0.5);
    assertThat(s.at("/sft/mean_gold_reward").isNumber()).isTrue();
    assertThat(s.at("/doctor/flags").isArray()).isTrue();
    // The pipeline saved the models it trained in Hugging Face layout.
    assertThat(out.resolve("sft-model/config.json")).exists();
    assertThat(out.resolve("sft-model/tokenizer.json")).exists();
  }
}

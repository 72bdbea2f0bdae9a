package org.rlhf4j.demo.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/** The quick sentiment example runs end to end; its summary has frontier points for every method; a re-run resumes. */
class SentimentExampleTest {
  @TempDir Path tmp;

  @Test void quickRunHasFrontierPointsForEveryMethodAndReRunsLoadTheFinishedStages() throws Exception {
    Path shared = Shared.require("fixtures/stories260K").getParent().getParent();
    Shared.require("data/sst2");
    Shared.require("data/imdb-small");
    SentimentConfig cfg = SentimentConfig.quick(tmp, shared, 1);
    long t0 = System.nanoTime();
    Path summary = new SentimentExample(cfg).run();
    double first = (System.nanoTime() - t0) / 1e9;
    JsonNode s = new ObjectMapper().readTree(summary.toFile());
    for (String m : SentimentReport.METHODS) {
      JsonNode points = s.path("frontier").path(m);
      int expected = switch (m) {
        case "ppo" -> cfg.ppoBetas().size();
        case "dpo" -> cfg.dpoBetas().size();
        default -> cfg.bestOfN().size();
      };
      assertThat(points.size()).as(m).isEqualTo(expected);
      for (JsonNode p : points) {
        assertThat(p.path("kl").asDouble()).as(m + " kl").isGreaterThanOrEqualTo(0).isFinite();
        assertThat(p.path("gold").asDouble()).as(m + " gold").isBetween(0.0, 1.0);
      }
    }
    assertThat(s.path("proxy_reward_model").path("accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(s.path("proxy_reward_model").path("backbone").asText()).contains("mean pooling");
    assertThat(s.path("gold_reward_model").path("accuracy_on").asText()).contains("(" + cfg.rmEvalTexts() + ")");
    assertThat(s.path("cpu_seconds").asDouble()).isPositive();
    JsonNode within = s.path("best_within_kl_2");
    for (String m : SentimentReport.METHODS) {
      assertThat(within.has(m)).as(m + " within the KL budget").isTrue();
      if (!within.path(m).isNull()) assertThat(within.path(m).path("kl").asDouble()).isLessThanOrEqualTo(SentimentReport.KL_BUDGET);
    }
    assertThat(within.path("best_of_n").isNull()).as("best-of-1 has KL 0").isFalse();
    assertThat(s.path("samples_before").size()).isGreaterThan(0);
    assertThat(Files.isRegularFile(tmp.resolve("report.html"))).isTrue();
    assertThat(Files.isRegularFile(tmp.resolve("chart-01.png"))).isTrue();
    System.out.printf("sentiment example --quick: %.0f s; %s%n", first, s.path("frontier"));

    long t1 = System.nanoTime();
    Path again = new SentimentExample(cfg).run();               // every stage finished: loaded, nothing retrained
    double second = (System.nanoTime() - t1) / 1e9;
    JsonNode s2 = new ObjectMapper().readTree(again.toFile());
    assertThat(s2.path("frontier")).isEqualTo(s.path("frontier"));
    System.out.printf("re-run (all stages loaded): %.0f s%n", second);
  }
}

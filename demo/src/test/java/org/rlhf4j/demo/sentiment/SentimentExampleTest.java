package org.rlhf4j.demo.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

/**
 * The quick sentiment example runs end to end; its summary has frontier points for every method; a re-run resumes; a
 * run with other PPO settings trains only the changed PPO run (reward models, DPO, best-of-n and the kept beta loaded).
 */
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
        case "ppo" -> cfg.ppo().betas().size();
        case "dpo" -> cfg.dpo().betas().size();
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
    JsonNode gaps = s.path("gap_at_equal_kl");
    for (String pair : List.of("dpo_vs_ppo", "best_of_n_vs_ppo", "best_of_n_vs_dpo")) {
      JsonNode g = gaps.path(pair);
      assertThat(g.path("min_gold_gap").asDouble()).as(pair).isLessThanOrEqualTo(g.path("mean_gold_gap").asDouble());
      assertThat(g.path("max_gold_gap").asDouble()).as(pair).isGreaterThanOrEqualTo(g.path("mean_gold_gap").asDouble());
      assertThat(g.path("dominates").asBoolean()).as(pair).isEqualTo(g.path("min_gold_gap").asDouble() > 0);
    }
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

    // other PPO settings: only the changed PPO run trains; the reward models are not retrained, the others loaded
    Path proxyModel = tmp.resolve("proxy-rm/model"), goldModel = tmp.resolve("gold-rm/model");
    FileTime proxyAt = newest(proxyModel), goldAt = newest(goldModel);
    SentimentConfig.Ppo p = cfg.ppo();
    double kept = p.betas().get(0);
    SentimentConfig other = cfg.withPpo(new SentimentConfig.Ppo(List.of(kept, 0.5), p.iterations(), p.batch(), p.miniBatches(),
        p.epochs(), p.lr()));
    JsonNode s3 = new ObjectMapper().readTree(new SentimentExample(other).run().toFile());
    assertThat(newest(proxyModel)).as("proxy reward model retrained").isEqualTo(proxyAt);
    assertThat(newest(goldModel)).as("gold judge retrained").isEqualTo(goldAt);
    assertThat(s3.path("frontier").path("dpo")).isEqualTo(s.path("frontier").path("dpo"));
    assertThat(s3.path("frontier").path("best_of_n")).isEqualTo(s.path("frontier").path("best_of_n"));
    assertThat(s3.path("proxy_reward_model")).isEqualTo(s.path("proxy_reward_model"));
    assertThat(settings(s3.path("frontier").path("ppo"))).containsExactlyInAnyOrder("beta=" + kept, "beta=0.5");
    assertThat(point(s3, "beta=" + kept)).isEqualTo(point(s, "beta=" + kept));
    assertThat(Files.exists(tmp.resolve("ppo-0.5/stage.key"))).isTrue();
  }

  private static JsonNode point(JsonNode summary, String setting) {
    for (JsonNode p : summary.path("frontier").path("ppo")) if (p.path("setting").asText().equals(setting)) return p;
    throw new AssertionError("no PPO point " + setting + " in " + summary.path("frontier").path("ppo"));
  }

  private static List<String> settings(JsonNode points) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : points) out.add(p.path("setting").asText());
    return out;
  }

  /** The latest modification time of any file under dir. */
  private static FileTime newest(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(f -> {
        try {
          return Files.getLastModifiedTime(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).max(FileTime::compareTo).orElseThrow();
    }
  }
}

package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.privacy.dp.RandomizedResponse;
import org.rlhf4j.privacy.dp.SecureNoise;

/** DP releases with a persisted per-project ledger, and local DP thumbs; run on SQLite and PostgreSQL. */
abstract class DpScenarios {
  @TempDir Path tmp;
  TestServer s;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() { s = new TestServer(dbUrl(tmp)); }

  @AfterEach void stop() { if (s != null) s.close(); }

  /** A pairwise project with three labelled items: A, A, B. */
  private long labelled() {
    s.rater("r1");
    long p = s.project(Map.of("name", "dp", "kind", "pairwise", "ratingsPerItem", 1, "goldRate", 0.0), "r1");
    s.items(p, List.of(ServiceScenarios.item("p1", null, "a", "b"), ServiceScenarios.item("p2", null, "a", "b"), ServiceScenarios.item("p3", null, "a", "b")));
    ServiceScenarios.labelAll(Client.login(s.base, "r1", TestServer.PASSWORD), p, Map.of("p1", "A", "p2", "A", "p3", "B"));
    return p;
  }

  private Client.Resp release(long p, String statistic, double epsilon) {
    return s.admin.post("/api/projects/" + p + "/dp", Map.of("statistic", statistic, "epsilon", epsilon));
  }

  @Test void releasesNeedABudgetAndAnOverBudgetRequestChangesNothing() {
    long p = labelled();
    Client.Resp none = release(p, "label-counts", 0.5);
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.json().get("error").asText()).contains("no privacy budget");
    s.admin.ok(s.admin.post("/api/projects/" + p + "/dp/budget", Map.of("epsilon", 1.0)), 200);
    JsonNode counts = s.admin.ok(release(p, "label-counts", 0.6), 200);
    assertThat(counts.get("figures")).hasSize(3);
    counts.get("figures").forEach(f -> assertThat(f.get("epsilon").asDouble()).isEqualTo(0.6));  // ε beside every figure
    assertThat(counts.get("ledger").get("spent").get("epsilon").asDouble()).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
    Client.Resp over = release(p, "win-rate", 0.6);
    assertThat(over.status()).isEqualTo(409);
    assertThat(over.json().get("error").asText()).contains("nothing was released").contains("ε = 0.4");
    JsonNode ledger = s.admin.ok(s.admin.get("/api/projects/" + p + "/dp"), 200);
    assertThat(ledger.get("charges")).hasSize(1);
    assertThat(ledger.get("remaining").get("epsilon").asDouble()).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(s.count("SELECT COUNT(*) FROM privacy_charges")).isEqualTo(1);
    assertThat(release(p, "median", 0.1).status()).isEqualTo(400);
    assertThat(Client.login(s.base, "r1", TestServer.PASSWORD).post("/api/projects/" + p + "/dp", Map.of("statistic", "win-rate", "epsilon", 0.1)).status())
        .isEqualTo(403);
  }

  @Test void figuresAreTheTrueValuesUpToTheirNoise() {
    long p = labelled();
    s.admin.ok(s.admin.post("/api/projects/" + p + "/dp/budget", Map.of("epsilon", 500.0)), 200);
    // at ε = 50 discrete Laplace noise is non-zero with probability about 2e-22 (counts) / 3e-11 (the rate's doubled grid)
    Map<String, Double> bins = new HashMap<>();
    s.admin.ok(release(p, "label-counts", 50), 200).get("figures").forEach(f -> bins.put(f.get("name").asText(), f.get("value").asDouble()));
    assertThat(bins).containsEntry("label counts[A]", 2.0).containsEntry("label counts[B]", 1.0).containsEntry("label counts[TIE]", 0.0);
    JsonNode win = s.admin.ok(release(p, "win-rate", 50), 200).get("figures").get(0);
    assertThat(win.get("value").asDouble()).isEqualTo(2.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(win.get("noise_sd").asDouble()).isPositive();
    Client app = new Client(s.base);
    app.bearer = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "app", "projectId", p)), 201).get("token").asText();
    for (String t : List.of("up", "up", "up", "down")) app.ok(app.post("/api/production/feedback", Map.of("prompt", "q", "response", "r", "thumb", t)), 201);
    JsonNode thumbs = s.admin.ok(release(p, "thumbs-up", 50), 200).get("figures");
    assertThat(thumbs).hasSize(1);
    assertThat(thumbs.get(0).get("value").asDouble()).isEqualTo(0.75, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(s.admin.ok(s.admin.get("/api/projects/" + p + "/dp"), 200).get("spent").get("epsilon").asDouble()).isEqualTo(150.0,
        org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test void randomisedThumbsAreFlaggedLeftOutOfExportsAndEstimatedWithoutCharge() {
    Client app = new Client(s.base);
    app.bearer = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "app")), 201).get("token").asText();
    Client.Resp corrected = app.post("/api/production/feedback", Map.of("prompt", "q", "response", "r", "thumb", "down", "correction", "c",
        "randomizedResponse", Map.of("epsilon", 1.0)));
    assertThat(corrected.status()).isEqualTo(400);
    assertThat(corrected.json().get("error").asText()).contains("correction");
    assertThat(app.post("/api/production/feedback", Map.of("prompt", "q", "response", "r", "thumb", "up", "randomizedResponse", Map.of("epsilon", 0.0)))
        .status()).isEqualTo(400);
    // the client randomises each true vote (rate 0.3) at ε = 1 before sending it; seeded, so the test is repeatable
    RandomizedResponse rr = new RandomizedResponse(1.0);
    SecureNoise clientNoise = new SecureNoise(new SplittableRandom(7));
    SplittableRandom truth = new SplittableRandom(11);
    int n = 200;
    long trueUps = 0;
    for (int i = 0; i < n; i++) {
      boolean up = truth.nextDouble() < 0.3;
      if (up) trueUps++;
      String sent = rr.respond(up, clientNoise) ? "up" : "down";
      app.ok(app.post("/api/production/feedback", Map.of("prompt", "q" + i, "response", "r", "thumb", sent, "randomizedResponse", Map.of("epsilon", 1.0))), 201);
    }
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback WHERE rr_epsilon = 1.0")).isEqualTo(n);
    assertThat(s.admin.get("/api/production/export?format=unpaired").body()).isEmpty();
    JsonNode f = s.admin.ok(s.admin.post("/api/production/dp", Map.of("statistic", "thumbs-up", "epsilon", 1.0)), 200).get("figures");
    assertThat(f).hasSize(1);
    JsonNode local = f.get(0);
    assertThat(local.get("local").asBoolean()).isTrue();
    assertThat(local.get("epsilon").asDouble()).isEqualTo(1.0);
    assertThat(local.get("n").asLong()).isEqualTo(n);
    double p = rr.truthProbability();
    double expected = (local.get("reported_ups").asDouble() / n - (1 - p)) / (2 * p - 1);  // the estimator, by hand
    assertThat(local.get("value").asDouble()).isEqualTo(expected, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(Math.abs(local.get("value").asDouble() - trueUps / (double) n)).isLessThan(4 * local.get("standard_error").asDouble());
    assertThat(s.count("SELECT COUNT(*) FROM privacy_charges")).isZero();  // no budget needed, none spent
  }
}

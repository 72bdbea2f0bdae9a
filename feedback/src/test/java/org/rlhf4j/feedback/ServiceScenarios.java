package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.Text;
import org.rlhf4j.data.format.DataFiles;

/** End-to-end API scenarios, run against SQLite and PostgreSQL by the subclasses. */
abstract class ServiceScenarios {
  @TempDir Path tmp;
  TestServer s;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() { s = new TestServer(dbUrl(tmp)); }

  @AfterEach void stop() { if (s != null) s.close(); }

  static Map<String, Object> item(String prompt, Object gold, String... responses) {
    Map<String, Object> m = new HashMap<>(Map.of("prompt", prompt, "responses", List.of(responses)));
    if (gold != null) m.put("gold", gold);
    return m;
  }

  @Test void healthAnswersJson() {
    Client.Resp r = new Client(s.base).get("/api/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
  }

  /** Labels everything a rater is served; choices by prompt. Returns the served item ids in order. */
  static List<Long> labelAll(Client rater, long project, Map<String, String> choiceByPrompt) {
    List<Long> served = new ArrayList<>();
    while (true) {
      JsonNode next = rater.ok(rater.get("/api/projects/" + project + "/next"), 200);
      if (next.path("done").asBoolean()) return served;
      assertThat(next.has("labels")).isFalse();
      assertThat(next.has("gold")).isFalse();
      long item = next.get("itemId").asLong();
      served.add(item);
      Set<Integer> shown = new HashSet<>();
      next.get("responses").forEach(r -> shown.add(r.get("index").asInt()));
      assertThat(shown).containsExactlyInAnyOrder(0, 1);
      String choice = choiceByPrompt.get(next.get("prompt").asText());
      rater.ok(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k-" + item, "choice", choice)), 201);
    }
  }

  @Test void pairwiseProjectMeasuresQualityAdjudicatesAndExportsSoftLabels() throws Exception {
    for (String r : List.of("r1", "r2", "r3", "r4")) s.rater(r);
    long p = s.project(Map.of("name", "pairs", "kind", "pairwise", "ratingsPerItem", 3, "goldRate", 1.0, "guidelines", "Prefer helpful."),
        "r1", "r2", "r3", "r4");
    List<Long> ids = s.items(p, List.of(item("G", "A", "good", "bad"), item("I1", null, "a1", "b1"), item("I2", null, "a2", "b2"), item("I3", null, "a3", "b3")));
    Map<String, List<String>> script = Map.of("r1", List.of("A", "A", "A", "A"), "r2", List.of("A", "A", "A", "B"),
        "r3", List.of("A", "A", "B", "TIE"), "r4", List.of("B", "A", "A", "A"));
    Map<String, List<Long>> served = new HashMap<>();
    for (String r : List.of("r1", "r2", "r3", "r4")) {
      List<String> c = script.get(r);
      served.put(r, labelAll(Client.login(s.base, r, TestServer.PASSWORD), p, Map.of("G", c.get(0), "I1", c.get(1), "I2", c.get(2), "I3", c.get(3))));
    }
    // gold first (rate 1.0), each regular item exactly N = 3 times, nobody twice; r4 only gets the gold item
    assertThat(served.get("r1")).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3));
    assertThat(served.get("r4")).containsExactly(ids.get(0));
    assertThat(s.count("SELECT COUNT(*) FROM labels WHERE project_id = ?", p)).isEqualTo(13);  // 4 + 4 + 4 + 1
    assertThat(s.count("SELECT COUNT(*) FROM labels WHERE guideline_version = 1")).isEqualTo(13);

    JsonNode q = s.admin.ok(s.admin.get("/api/projects/" + p + "/quality"), 200);
    JsonNode a = q.get("agreement");
    assertThat(a.get("rawAgreement").asDouble()).isCloseTo(4.0 / 9, within(1e-9));   // (1 + 1/3 + 0) / 3
    assertThat(a.get("fleissKappa").asDouble()).isCloseTo(-0.125, within(1e-9));     // (4/9 - 41/81) / (1 - 41/81)
    assertThat(a.get("krippendorffAlpha").asDouble()).isCloseTo(0.0, within(1e-9));  // D_o = D_e = 5/9
    assertThat(a.get("cohenKappa").asDouble()).isCloseTo(0.0, within(1e-9));         // every pair: p_o = p_e
    Map<String, JsonNode> raters = new HashMap<>();
    q.get("raters").forEach(r -> raters.put(r.get("rater").asText(), r));
    assertThat(raters.get("r1").get("goldAccuracy").asDouble()).isEqualTo(1.0);
    assertThat(raters.get("r4").get("goldAccuracy").asDouble()).isEqualTo(0.0);
    assertThat(raters.get("r3").get("majorityAgreement").asDouble()).isEqualTo(0.5);
    assertThat(raters.get("r1").get("majorityAgreement").asDouble()).isEqualTo(1.0);

    JsonNode queue = s.admin.ok(s.admin.get("/api/projects/" + p + "/adjudication?threshold=0.5"), 200);
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).get("itemId").asLong()).isEqualTo(ids.get(3));
    s.admin.ok(s.admin.post("/api/projects/" + p + "/items/" + ids.get(3) + "/adjudicate", Map.of("choice", "B", "note", "b3 is right")), 201);
    assertThat(s.admin.ok(s.admin.get("/api/projects/" + p + "/adjudication?threshold=0.5"), 200)).isEmpty();

    List<PreferencePair> pairs = readPairs(s.admin.get("/api/projects/" + p + "/export?format=preferences"));
    assertThat(pairs).containsExactly(new PreferencePair(new Text("I1"), new Text("a1"), new Text("b1"), 1.0),
        new PreferencePair(new Text("I2"), new Text("a2"), new Text("b2"), 2.0 / 3), new PreferencePair(new Text("I3"), new Text("b3"), new Text("a3"), 1.0));
    assertThat(readPairs(s.admin.get("/api/projects/" + p + "/export?format=preferences&minConsensus=0.9")))
        .extracting(PreferencePair::prompt).containsExactly(new Text("I1"), new Text("I3"));
  }

  List<PreferencePair> readPairs(Client.Resp r) throws Exception {
    assertThat(r.status()).isEqualTo(200);
    Path f = tmp.resolve("pairs-" + System.nanoTime() + ".jsonl");
    Files.writeString(f, r.body());
    return DataFiles.readPreferences(f);
  }

  @Test void rankingProjectImportsJsonlAndExportsBordaRankings() throws Exception {
    s.rater("r1");
    s.rater("r2");
    long p = s.project(Map.of("name", "ranks", "kind", "ranking", "ratingsPerItem", 2, "goldRate", 0.0), "r1", "r2");
    Path in = tmp.resolve("in.jsonl");
    DataFiles.writeRankings(in, List.of(new Ranking(new Text("P"), List.of(new Text("x"), new Text("y"), new Text("z")))));
    JsonNode ids = s.admin.ok(s.admin.raw("/api/projects/" + p + "/import?format=rankings", "application/x-ndjson", Files.readAllBytes(in)), 201).get("ids");
    long item = ids.get(0).asLong();
    List<List<Integer>> orders = List.of(List.of(0, 1, 2), List.of(0, 2, 1));
    for (int i = 0; i < 2; i++) {
      Client c = Client.login(s.base, "r" + (i + 1), TestServer.PASSWORD);
      JsonNode next = c.ok(c.get("/api/projects/" + p + "/next"), 200);
      assertThat(next.get("responses")).hasSize(3);
      c.ok(c.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "x", "ranking", orders.get(i))), 201);
      assertThat(c.ok(c.get("/api/projects/" + p + "/next"), 200).get("done").asBoolean()).isTrue();
    }
    JsonNode a = s.admin.ok(s.admin.get("/api/projects/" + p + "/quality"), 200).get("agreement");
    assertThat(a.get("alphaDistance").asText()).isEqualTo("ranking");
    assertThat(a.get("rawAgreement").asDouble()).isEqualTo(0.0);
    Path out = tmp.resolve("out.jsonl");
    Files.writeString(out, s.admin.get("/api/projects/" + p + "/export?format=rankings").body());
    assertThat(DataFiles.readRankings(out)).containsExactly(new Ranking(new Text("P"), List.of(new Text("x"), new Text("y"), new Text("z"))));
    List<PreferencePair> pairs = readPairs(s.admin.get("/api/projects/" + p + "/export?format=preferences"));
    assertThat(pairs).containsExactly(new PreferencePair(new Text("P"), new Text("x"), new Text("y"), 1.0),
        new PreferencePair(new Text("P"), new Text("x"), new Text("z"), 1.0));  // y vs z: 1/2 each, no preference
  }

  @Test void ratingProjectUsesIntervalAlphaAndExportsUnpaired() throws Exception {
    s.rater("r1");
    s.rater("r2");
    long p = s.project(Map.of("name", "likert", "kind", "rating", "ratingsPerItem", 2, "goldRate", 0.0), "r1", "r2");
    List<Long> ids = s.items(p, List.of(item("good?", null, "great answer"), item("bad?", null, "poor answer")));
    int[][] scores = {{7, 6}, {2, 1}};
    for (int r = 0; r < 2; r++) {
      Client c = Client.login(s.base, "r" + (r + 1), TestServer.PASSWORD);
      for (int k = 0; k < 2; k++) {
        long item = c.ok(c.get("/api/projects/" + p + "/next"), 200).get("itemId").asLong();
        int which = ids.indexOf(item);
        c.ok(c.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k" + item, "score", scores[which][r])), 201);
      }
    }
    JsonNode a = s.admin.ok(s.admin.get("/api/projects/" + p + "/quality"), 200).get("agreement");
    assertThat(a.get("alphaDistance").asText()).isEqualTo("interval");
    // values 7,6 | 2,1 (n = 4): D_o = (2 + 2) / 4 = 1; D_e = 2 * (1 + 25 + 36 + 16 + 25 + 1) / (4 * 3) = 208 / 12
    assertThat(a.get("krippendorffAlpha").asDouble()).isCloseTo(1 - 1 / (208.0 / 12), within(1e-9));
    String body = s.admin.get("/api/projects/" + p + "/export?format=unpaired").body();
    Path f = tmp.resolve("u.jsonl");
    Files.writeString(f, body);
    assertThat(DataFiles.readUnpaired(f)).extracting(u -> u.desirable()).containsExactly(true, false);
  }

  @Test void activeLearningServesMostUncertainItemsFirst() {
    s.rater("r1");
    long p = s.project(Map.of("name", "al", "kind", "pairwise", "ratingsPerItem", 1, "goldRate", 0.0), "r1");
    List<Long> ids = s.items(p, List.of(item("p0", null, "a", "b"), item("p1", null, "a", "b"), item("p2", null, "a", "b")));
    s.admin.ok(s.admin.post("/api/projects/" + p + "/uncertainty", Map.of("scores",
        List.of(Map.of("itemId", ids.get(0), "score", 0.1), Map.of("itemId", ids.get(2), "score", 0.9)))), 200);
    JsonNode informative = s.admin.ok(s.admin.get("/api/projects/" + p + "/informative"), 200);
    assertThat(informative.findValuesAsText("itemId")).containsExactly(String.valueOf(ids.get(2)), String.valueOf(ids.get(0)), String.valueOf(ids.get(1)));
    Client r1 = Client.login(s.base, "r1", TestServer.PASSWORD);
    assertThat(r1.ok(r1.get("/api/projects/" + p + "/next"), 200).get("itemId").asLong()).isEqualTo(ids.get(2));
    assertThat(s.admin.post("/api/projects/" + p + "/uncertainty", Map.of("scores", List.of(Map.of("itemId", 999999, "score", 1)))).status()).isEqualTo(404);
  }

  @Test void productionFeedbackIsIdempotentAndExportsPairsAndUnpairedRows() throws Exception {
    String token = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "chat-app")), 201).get("token").asText();
    Client app = new Client(s.base);
    app.bearer = token;
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "2+2?", "response", "5", "thumb", "down", "correction", "4", "idempotencyKey", "e1")), 201);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "2+2?", "response", "5", "thumb", "down", "correction", "4", "idempotencyKey", "e1")), 200);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "hi", "response", "hello!", "thumb", "up")), 201);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "x", "response", "y", "thumb", "down")), 201);
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback")).isEqualTo(3);
    assertThat(readPairs(s.admin.get("/api/production/export?format=preferences"))).containsExactly(
        new PreferencePair(new Text("2+2?"), new Text("4"), new Text("5"), 1.0));
    Path f = tmp.resolve("prod.jsonl");
    Files.writeString(f, s.admin.get("/api/production/export?format=unpaired").body(), StandardCharsets.UTF_8);
    assertThat(DataFiles.readUnpaired(f)).extracting(u -> u.desirable()).containsExactly(false, true, true, false);
    assertThat(app.get("/api/projects").status()).isEqualTo(403);  // a token reaches only the production API
  }

  @Test void guidelinesAreVersionedAndShownWithEachItem() {
    s.rater("r1");
    long p = s.project(Map.of("name", "g", "kind", "pairwise", "goldRate", 0.0, "guidelines", "v1 text"), "r1");
    s.items(p, List.of(item("p", null, "a", "b")));
    s.admin.ok(s.admin.post("/api/projects/" + p + "/guidelines", Map.of("body", "v2 text")), 201);
    Client r1 = Client.login(s.base, "r1", TestServer.PASSWORD);
    JsonNode project = r1.ok(r1.get("/api/projects/" + p), 200);
    assertThat(project.get("guidelines").asText()).isEqualTo("v2 text");
    assertThat(r1.ok(r1.get("/api/projects/" + p + "/next"), 200).get("guidelinesVersion").asInt()).isEqualTo(2);
  }

  @Test void raterWhoseGoldAccuracyFallsIsFlagged() {
    s.rater("steady");
    s.rater("tired");
    long p = s.project(Map.of("name", "drift", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 1.0), "steady", "tired");
    List<Map<String, Object>> gold = new ArrayList<>();
    for (int i = 0; i < 10; i++) gold.add(item("g" + i, "A", "right", "wrong"));
    s.items(p, gold);
    for (String r : List.of("steady", "tired")) {
      Client c = Client.login(s.base, r, TestServer.PASSWORD);
      for (int i = 0; i < 10; i++) {
        long item = c.ok(c.get("/api/projects/" + p + "/next"), 200).get("itemId").asLong();
        String choice = r.equals("tired") && i >= 5 ? "B" : "A";  // tired: 5 right, then 5 wrong
        c.ok(c.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k" + i, "choice", choice)), 201);
      }
    }
    JsonNode q = s.admin.ok(s.admin.get("/api/projects/" + p + "/quality?driftWindow=5&driftDrop=0.5"), 200);
    Map<String, JsonNode> raters = new HashMap<>();
    q.get("raters").forEach(r -> raters.put(r.get("rater").asText(), r));
    assertThat(raters.get("steady").get("flagged").asBoolean()).isFalse();
    assertThat(raters.get("tired").get("flagged").asBoolean()).isTrue();
    assertThat(raters.get("tired").get("drift").get("before").asDouble()).isEqualTo(1.0);
    assertThat(raters.get("tired").get("drift").get("after").asDouble()).isEqualTo(0.0);
    assertThat(raters.get("tired").get("goldAccuracy").asDouble()).isEqualTo(0.5);
  }

  @Test void firstAdminGetsAGeneratedPasswordPrintedOnce() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    String url = dbUrl(tmp);
    try (FeedbackServer fresh = FeedbackServer.start(FeedbackConfig.defaults(0, url).withBcryptCost(4), null, new java.io.PrintStream(out, true))) {
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("generated password");
      String password = printed.substring(printed.indexOf("password: ") + 10, printed.indexOf(" (shown once)"));
      Client.login(fresh.baseUrl(), "admin", password);
    }
    java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
    try (FeedbackServer restarted = FeedbackServer.start(FeedbackConfig.defaults(0, url).withBcryptCost(4), null, new java.io.PrintStream(again, true))) {
      assertThat(again.toString(StandardCharsets.UTF_8)).doesNotContain("password");
    }
  }

  @Test void concurrentRatersNeverExceedNRatingsPerItem() throws Exception {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < 12; r++) names.add("c" + r);
    names.forEach(s::rater);
    long p = s.project(Map.of("name", "cap", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 0.0), names.toArray(String[]::new));
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) items.add(item("q" + i, null, "a", "b"));
    s.items(p, items);
    Map<String, String> all = new HashMap<>();
    for (int i = 0; i < 5; i++) all.put("q" + i, "A");
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (String n : names) {
      Client c = Client.login(s.base, n, TestServer.PASSWORD);
      Thread t = new Thread(() -> {
        try {
          labelAll(c, p, all);
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    assertThat(errors).isEmpty();
    assertThat(s.count("SELECT COUNT(*) FROM labels WHERE project_id = ?", p)).isEqualTo(10);  // 5 items x N = 2
    assertThat(s.count("SELECT COUNT(*) FROM (SELECT item_id FROM labels WHERE project_id = ? GROUP BY item_id HAVING COUNT(*) <> 2) x", p)).isZero();
  }

  @Test void exportDropsLabelsOfRatersBelowTheGoldAccuracyThreshold() throws Exception {
    s.rater("good");
    s.rater("bad");
    long p = s.project(Map.of("name", "filter", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 1.0), "good", "bad");
    s.items(p, List.of(item("gold", "A", "right", "wrong"), item("q", null, "x", "y")));
    labelAll(Client.login(s.base, "good", TestServer.PASSWORD), p, Map.of("gold", "A", "q", "A"));
    labelAll(Client.login(s.base, "bad", TestServer.PASSWORD), p, Map.of("gold", "B", "q", "B"));
    assertThat(readPairs(s.admin.get("/api/projects/" + p + "/export?format=preferences"))).isEmpty();  // 1 vote each: p = 0.5
    assertThat(readPairs(s.admin.get("/api/projects/" + p + "/export?format=preferences&minGoldAccuracy=0.5")))
        .containsExactly(new PreferencePair(new Text("q"), new Text("x"), new Text("y"), 1.0));
  }
}

package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-project PII policy on items, imports, production feedback and exports; run on SQLite and PostgreSQL. */
abstract class PiiScenarios {
  static final String EMAIL = "jane.doe@example.com";
  static final String CARD = "4111 1111 1111 1111";  // Luhn-valid test number
  @TempDir Path tmp;
  TestServer s;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() { s = new TestServer(dbUrl(tmp)); }

  @AfterEach void stop() { if (s != null) s.close(); }

  private long project(String action, String mode, String... members) {
    Map<String, Object> spec = new HashMap<>(Map.of("name", "pii-" + action, "kind", "pairwise", "ratingsPerItem", 1, "goldRate", 0.0));
    if (action != null) spec.put("piiAction", action);
    if (mode != null) spec.put("piiMode", mode);
    return s.project(spec, members);
  }

  private JsonNode pii(long project) { return s.admin.ok(s.admin.get("/api/projects/" + project + "/pii"), 200); }

  private long stored(String like) { return s.count("SELECT COUNT(*) FROM items WHERE prompt LIKE ? OR responses LIKE ?", like, like); }

  @Test void policyIsStoredWithTheProjectAndChangedByAdmins() {
    long p = project("redact", "hash");
    JsonNode shown = s.admin.ok(s.admin.get("/api/projects/" + p), 200);
    assertThat(shown.get("piiAction").asText()).isEqualTo("redact");
    assertThat(shown.get("piiMode").asText()).isEqualTo("hash");
    assertThat(shown.toString()).doesNotContain("salt");
    assertThat(project(null, null)).isPositive();
    s.admin.ok(s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "reject")), 200);
    assertThat(pii(p).get("piiAction").asText()).isEqualTo("reject");
    assertThat(pii(p).get("piiMode").asText()).isEqualTo("hash");
    Client.Resp bad = s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "scrub"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).contains("piiAction").contains("scrub");
    assertThat(s.admin.post("/api/projects", Map.of("name", "x", "kind", "pairwise", "piiMode", "blur")).status()).isEqualTo(400);
    Client rater = s.rater("r1");
    assertThat(rater.post("/api/projects/" + p + "/pii", Map.of("piiAction", "off")).status()).isEqualTo(403);
  }

  @Test void rejectNamesTheImportLineStoresNothingAndRecordsTheFindings() {
    long p = project("reject", null);
    String jsonl = "{\"prompt\":\"hi\",\"chosen\":\"a\",\"rejected\":\"b\"}\n\n"
        + "{\"prompt\":\"write to " + EMAIL + "\",\"chosen\":\"ok\",\"rejected\":\"no\"}\n";
    Client.Resp r = s.admin.raw("/api/projects/" + p + "/import?format=preferences", "application/x-ndjson", jsonl.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").asText()).contains("upload line 3").contains("EMAIL").contains("nothing was stored");
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ?", p)).isZero();
    JsonNode f = pii(p);
    assertThat(f.get("totals").get("EMAIL").asLong()).isEqualTo(1);
    assertThat(f.get("findings").get(0).get("source").asText()).isEqualTo("import");
    assertThat(f.get("findings").get(0).get("verdict").asText()).isEqualTo("rejected");
    Client.Resp items = s.admin.post("/api/projects/" + p + "/items", Map.of("items", List.of(
        ServiceScenarios.item("fine", null, "a", "b"), ServiceScenarios.item("card " + CARD, null, "a", "b"))));
    assertThat(items.status()).isEqualTo(422);
    assertThat(items.json().get("error").asText()).startsWith("items[1]").contains("CREDIT_CARD");
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ?", p)).isZero();
  }

  @Test void redactMasksOrPseudonymisesBeforeStoringAndDropLeavesRecordsOut() {
    long mask = project("redact", "mask");
    JsonNode r = s.admin.ok(s.admin.post("/api/projects/" + mask + "/items", Map.of("items", List.of(
        ServiceScenarios.item("mail " + EMAIL, null, "card " + CARD, "no")))), 201);
    assertThat(r.get("pii").get("redacted").asInt()).isEqualTo(1);
    assertThat(stored("%" + EMAIL + "%")).isZero();
    assertThat(stored("%4111%")).isZero();
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ? AND prompt = ?", mask, "\"mail <EMAIL>\"")).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ? AND responses LIKE ?", mask, "%card <CREDIT_CARD>%")).isEqualTo(1);

    long hash = project("redact", "hash");
    s.admin.ok(s.admin.post("/api/projects/" + hash + "/items", Map.of("items", List.of(ServiceScenarios.item("to " + EMAIL, null, "a", "b"),
        ServiceScenarios.item("from " + EMAIL.toUpperCase(), null, "a", "b")))), 201);
    assertThat(stored("%" + EMAIL + "%") + stored("%" + EMAIL.toUpperCase() + "%")).isZero();
    long before = s.count("SELECT COUNT(*) FROM items WHERE project_id = ? AND prompt LIKE ?", hash, "%<EMAIL_%>%");
    assertThat(before).isEqualTo(2);
    try (Db db = new Db(s.dbUrl)) {  // the same address gets the same pseudonym
      List<String> prompts = db.read(c -> Db.query(c, "SELECT prompt FROM items WHERE project_id = ? ORDER BY id", rs -> rs.getString(1), hash));
      assertThat(prompts.get(0).substring(prompts.get(0).indexOf('<'))).isEqualTo(prompts.get(1).substring(prompts.get(1).indexOf('<')));
    }

    long drop = project("redact", "drop");
    JsonNode d = s.admin.ok(s.admin.post("/api/projects/" + drop + "/items", Map.of("items", List.of(ServiceScenarios.item("clean", null, "a", "b"),
        ServiceScenarios.item("mail " + EMAIL, null, "a", "b")))), 201);
    assertThat(d.get("ids").get(0).isNumber()).isTrue();
    assertThat(d.get("ids").get(1).isNull()).isTrue();
    assertThat(d.get("pii").get("dropped").asInt()).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE project_id = ?", drop)).isEqualTo(1);
    assertThat(pii(drop).get("totals").get("EMAIL").asLong()).isEqualTo(1);
  }

  @Test void detectKeepsTheTextAndCountsByType() {
    long p = project("detect", null);
    s.admin.ok(s.admin.post("/api/projects/" + p + "/items", Map.of("items", List.of(
        ServiceScenarios.item("mail " + EMAIL + " or " + "john@example.org", null, "card " + CARD, "b")))), 201);
    assertThat(stored("%" + EMAIL + "%")).isEqualTo(1);
    JsonNode f = pii(p);
    assertThat(f.get("totals").get("EMAIL").asLong()).isEqualTo(2);
    assertThat(f.get("totals").get("CREDIT_CARD").asLong()).isEqualTo(1);
    JsonNode email = null;
    for (JsonNode n : f.get("findings")) if (n.get("type").asText().equals("EMAIL")) email = n;
    assertThat(email.get("records").asLong()).isEqualTo(1);
    assertThat(email.get("verdict").asText()).isEqualTo("flagged");
    JsonNode listed = s.admin.ok(s.admin.get("/api/projects"), 200).get(0);
    assertThat(listed.get("piiFindings").get("EMAIL").asLong()).isEqualTo(2);
  }

  private Client app(Long project) {
    Map<String, Object> spec = new HashMap<>(Map.of("name", "app"));
    if (project != null) spec.put("projectId", project);
    Client app = new Client(s.base);
    app.bearer = s.admin.ok(s.admin.post("/api/tokens", spec), 201).get("token").asText();
    return app;
  }

  @Test void productionFeedbackFollowsTheTokensProject() {
    long reject = project("reject", null);
    Client.Resp r = app(reject).post("/api/production/feedback", Map.of("prompt", "I am " + EMAIL, "response", "hi", "thumb", "up"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").asText()).contains("EMAIL");
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback")).isZero();
    assertThat(pii(reject).get("findings").get(0).get("source").asText()).isEqualTo("production");

    long mask = project("redact", "mask");
    app(mask).ok(app(mask).post("/api/production/feedback", Map.of("prompt", "I am " + EMAIL, "response", "hi", "thumb", "down", "correction",
        "card " + CARD)), 201);
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback WHERE project_id = ? AND prompt = ? AND correction = ?", mask,
        "\"I am <EMAIL>\"", "\"card <CREDIT_CARD>\"")).isEqualTo(1);

    long drop = project("redact", "drop");
    JsonNode d = app(drop).ok(app(drop).post("/api/production/feedback", Map.of("prompt", "I am " + EMAIL, "response", "hi", "thumb", "up")), 200);
    assertThat(d.get("stored").asBoolean()).isFalse();
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback WHERE project_id = ?", drop)).isZero();

    app(null).ok(app(null).post("/api/production/feedback", Map.of("prompt", "I am " + EMAIL, "response", "hi", "thumb", "up")), 201);
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback WHERE project_id IS NULL AND prompt LIKE ?", "%" + EMAIL + "%")).isEqualTo(1);
    JsonNode unbound = s.admin.ok(s.admin.get("/api/production/pii"), 200);
    assertThat(unbound.get("totals").get("EMAIL").asLong()).isEqualTo(1);
    assertThat(app(null).get("/api/production/pii").status()).isEqualTo(403);
  }

  @Test void servedResponsesAndCorrectionsFollowTheTokensProject() {
    long reject = project("reject", null);
    Client.Resp r = app(reject).post("/api/production/responses", Map.of("responseId", "cmpl-1", "prompt", "I am " + EMAIL, "response", "hi"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").asText()).contains("EMAIL");
    assertThat(s.count("SELECT COUNT(*) FROM production_responses")).isZero();

    long mask = project("redact", "mask");
    Client masked = app(mask);
    JsonNode ack = masked.ok(masked.post("/api/production/responses", Map.of("responseId", "cmpl-2", "prompt", "I am " + EMAIL, "response", "hi")), 201);
    assertThat(ack.get("pii").get("redacted").asLong()).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM production_responses WHERE response_id = 'cmpl-2' AND prompt = ?", "\"I am <EMAIL>\"")).isEqualTo(1);
    masked.ok(masked.post("/api/production/responses", Map.of("responseId", "cmpl-2", "prompt", "I am " + EMAIL, "response", "hi")), 200); // replay
    masked.ok(masked.post("/api/production/events", Map.of("responseId", "cmpl-2", "type", "correction", "correction", "card " + CARD)), 201);
    assertThat(s.count("SELECT COUNT(*) FROM production_events WHERE correction = ?", "card <CREDIT_CARD>")).isEqualTo(1);

    long drop = project("redact", "drop");
    JsonNode d = app(drop).ok(app(drop).post("/api/production/responses", Map.of("responseId", "cmpl-3", "prompt", "I am " + EMAIL, "response", "hi")), 200);
    assertThat(d.get("stored").asBoolean()).isFalse();
    assertThat(s.count("SELECT COUNT(*) FROM production_responses WHERE response_id = 'cmpl-3'")).isZero();
  }

  @Test void exportsRedactUnderTheProjectsCurrentPolicy() {
    s.rater("r1");
    long p = project("off", null, "r1");
    s.items(p, List.of(ServiceScenarios.item("mail " + EMAIL, null, "yes", "no"), ServiceScenarios.item("plain", null, "yes", "no")));
    ServiceScenarios.labelAll(Client.login(s.base, "r1", TestServer.PASSWORD), p, Map.of("mail " + EMAIL, "A", "plain", "A"));
    String path = "/api/projects/" + p + "/export?format=preferences";
    assertThat(s.admin.get(path).body()).contains(EMAIL);
    s.admin.ok(s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "redact", "piiMode", "mask")), 200);
    Client.Resp redacted = s.admin.get(path);
    assertThat(redacted.body()).doesNotContain(EMAIL).contains("mail <EMAIL>").contains("plain");
    assertThat(redacted.header("X-Rlhf4j-Pii")).contains("\"redacted\":1");
    assertThat(pii(p).get("findings").get(0).get("source").asText()).isEqualTo("export");
    s.admin.ok(s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "reject")), 200);
    assertThat(s.admin.get(path).body()).doesNotContain("mail").contains("plain");

    Client app = app(p);  // production rows are screened again on export under their project's policy
    s.admin.ok(s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "detect")), 200);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "mail " + EMAIL, "response", "bad", "thumb", "down", "correction", "good")), 201);
    assertThat(s.admin.get("/api/production/export?format=preferences&project=" + p).body()).contains(EMAIL);
    s.admin.ok(s.admin.post("/api/projects/" + p + "/pii", Map.of("piiAction", "redact", "piiMode", "mask")), 200);
    String prod = s.admin.get("/api/production/export?format=preferences&project=" + p).body();
    assertThat(prod).doesNotContain(EMAIL).contains("mail <EMAIL>");
    assertThat(s.admin.get("/api/production/export?format=preferences&project=x").status()).isEqualTo(400);
  }
}

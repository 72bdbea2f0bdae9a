package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.format.DataFiles;

/** Served responses and implicit events through the production API; run on SQLite and PostgreSQL by the subclasses. */
abstract class ImplicitScenarios {
  @TempDir Path tmp;
  TestServer s;
  Client app;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() {
    s = new TestServer(dbUrl(tmp));
    app = new Client(s.base);
    app.bearer = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "serve-model")), 201).get("token").asText();
  }

  @AfterEach void stop() { if (s != null) s.close(); }

  void respond(String id, String prompt, String response) {
    app.ok(app.post("/api/production/responses", Map.of("responseId", id, "prompt", prompt, "response", response,
        "model", "policy", "modelVersion", "abc123")), 201);
  }

  JsonNode event(Map<String, Object> body, int status) { return app.ok(app.post("/api/production/events", body), status); }

  @Test void eventsBecomeWeakLabelsExportedWithTheirSource() throws Exception {
    respond("chatcmpl-1", "2+2?", "5");
    respond("chatcmpl-2", "capital of France?", "Paris.");
    respond("chatcmpl-3", "hi", "hello");
    respond("chatcmpl-4", "spell cat", "The word is kat.");
    event(Map.of("responseId", "chatcmpl-1", "type", "regenerate", "afterSeconds", 4), 201);
    event(Map.of("responseId", "chatcmpl-1", "type", "abandoned"), 201);
    event(Map.of("responseId", "chatcmpl-2", "type", "copy"), 201);
    event(Map.of("responseId", "chatcmpl-2", "type", "dwell", "seconds", 45), 201);
    event(Map.of("responseId", "chatcmpl-3", "type", "dwell", "seconds", 10), 201); // neither short nor long: no label
    JsonNode fix = event(Map.of("responseId", "chatcmpl-4", "type", "correction", "correction", "The word is cat."), 201);
    assertThat(fix.get("editDistance").asDouble()).isEqualTo(1.0 / 16);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "x", "response", "y", "thumb", "down")), 201);

    String body = s.admin.get("/api/production/export?format=unpaired&signals=all").body();
    List<String> sources = new ArrayList<>();
    for (String line : body.split("\n")) sources.add(Body.JSON.readTree(line).get("source").asText());
    assertThat(sources).containsExactly("explicit", "implicit:regenerate+abandoned", "implicit:copy+dwell",
        "implicit:correction", "implicit:correction");
    Path f = tmp.resolve("implicit.jsonl");
    Files.writeString(f, s.admin.get("/api/production/export?format=unpaired&signals=implicit").body(), StandardCharsets.UTF_8);
    List<UnpairedExample> rows = DataFiles.readUnpaired(f); // TRL's unpaired format: kto trains on it as is
    assertThat(rows).extracting(UnpairedExample::desirable).containsExactly(false, true, true, true);
    assertThat(rows.get(3).completion().display()).isEqualTo("The word is cat.");
    // the default export is unchanged: explicit thumbs only, no source field
    assertThat(s.admin.get("/api/production/export?format=unpaired").body()).doesNotContain("source").contains("\"y\"");
    assertThat(s.admin.get("/api/production/export?format=unpaired&signals=bogus").status()).isEqualTo(400);
    // per-version rates for A/B comparisons: 4 responses of (policy, abc123), 3 labelled, 2 of them desirable
    JsonNode v = s.admin.ok(s.admin.get("/api/production/versions"), 200).get("versions").get(0);
    assertThat(v.get("modelVersion").asText()).isEqualTo("abc123");
    assertThat(v.get("responses").asLong()).isEqualTo(4);
    assertThat(v.get("desirable").asLong()).isEqualTo(2);
    assertThat(v.get("undesirable").asLong()).isEqualTo(1);
    assertThat(v.get("desirableRate").asDouble()).isEqualTo(2.0 / 3);
    assertThat(app.get("/api/production/versions").status()).isEqualTo(403); // admin only
  }

  @Test void unknownResponseIdIsA404AndReplaysAreIdempotent() {
    Client.Resp unknown = app.post("/api/production/events", Map.of("responseId", "chatcmpl-nope", "type", "copy"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown response id 'chatcmpl-nope'", "/api/production/responses");
    respond("r1", "p", "answer");
    app.ok(app.post("/api/production/responses", Map.of("responseId", "r1", "prompt", "p", "response", "answer")), 200);
    assertThat(app.post("/api/production/responses", Map.of("responseId", "r1", "prompt", "p", "response", "other")).status())
        .isEqualTo(409);
    Map<String, Object> regen = Map.of("responseId", "r1", "type", "regenerate", "afterSeconds", 2, "idempotencyKey", "ev-1");
    long id = event(regen, 201).get("id").asLong();
    JsonNode again = event(regen, 200);
    assertThat(again.get("replayed").asBoolean()).isTrue();
    assertThat(again.get("id").asLong()).isEqualTo(id);
    assertThat(s.count("SELECT COUNT(*) FROM production_events")).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM production_responses")).isEqualTo(1);
  }

  @Test void thumbsNamingAResponseCountForItsVersionAndOverrideItsImplicitLabel() {
    respond("chatcmpl-a", "2+2?", "4");
    respond("chatcmpl-b", "2+3?", "6");
    event(Map.of("responseId", "chatcmpl-a", "type", "regenerate", "afterSeconds", 3), 201); // implicit: undesirable
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "2+2?", "response", "4", "thumb", "up", "responseId", "chatcmpl-a")), 201);
    app.ok(app.post("/api/production/feedback", Map.of("prompt", "2+3?", "response", "6", "thumb", "down", "responseId", "chatcmpl-b")), 201);
    Client.Resp unknown = app.post("/api/production/feedback", Map.of("prompt", "p", "response", "r", "thumb", "up", "responseId", "chatcmpl-zzz"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("chatcmpl-zzz", "/api/production/responses");
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback")).as("nothing stored for the unknown id").isEqualTo(2);
    JsonNode v = s.admin.ok(s.admin.get("/api/production/versions"), 200).get("versions").get(0);
    assertThat(v.get("responses").asLong()).isEqualTo(2);
    assertThat(v.get("desirable").asLong()).as("the thumb up overrides the regenerate").isEqualTo(1);
    assertThat(v.get("undesirable").asLong()).isEqualTo(1);
    assertThat(v.get("explicitUp").asLong()).isEqualTo(1);
    assertThat(v.get("explicitDown").asLong()).isEqualTo(1);
    long later = System.currentTimeMillis() + 60_000;
    assertThat(s.admin.ok(s.admin.get("/api/production/versions?since=" + later), 200).get("versions").size())
        .as("since: only responses logged from then on").isZero();
    assertThat(s.admin.ok(s.admin.get("/api/production/versions?since=1"), 200).get("versions").get(0).get("responses").asLong()).isEqualTo(2);
    assertThat(s.admin.get("/api/production/versions?since=soon").status()).isEqualTo(400);
  }

  @Test void badEventsAreClear400s() {
    respond("r2", "p", "answer");
    assertThat(app.post("/api/production/events", Map.of("responseId", "r2", "type", "like")).body()).contains("type");
    assertThat(app.post("/api/production/events", Map.of("responseId", "r2", "type", "dwell")).status()).isEqualTo(400);
    assertThat(app.post("/api/production/events", Map.of("responseId", "r2", "type", "dwell", "seconds", -1)).status()).isEqualTo(400);
    assertThat(app.post("/api/production/events", Map.of("responseId", "bad id!", "type", "copy")).status()).isEqualTo(400);
    assertThat(new Client(s.base).post("/api/production/events", Map.of("responseId", "r2", "type", "copy")).status())
        .isEqualTo(401); // no token
  }
}

package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile HTTP input gets a clear 4xx and stores nothing wrongly; run on SQLite and PostgreSQL. */
abstract class HostileScenarios {
  @TempDir Path tmp;
  TestServer s;
  long project;
  long item;
  Client rater;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() {
    s = new TestServer(dbUrl(tmp));
    s.rater("mallory");
    rater = s.rater("r1");
    project = s.project(Map.of("name", "p", "kind", "pairwise", "goldRate", 0.0), "r1");
    item = s.items(project, List.of(ServiceScenarios.item("<script>alert(1)</script>", null, "<img src=x onerror=alert(1)>", "b"))).get(0);
    rater.ok(rater.get("/api/projects/" + project + "/next"), 200);
  }

  @AfterEach void stop() { if (s != null) s.close(); }

  long labels() { return s.count("SELECT COUNT(*) FROM labels"); }

  static void assertError(Client.Resp r, int status, String messagePart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).contains(messagePart);
  }

  @Test void malformedJsonIs400() {
    assertError(rater.post("/api/labels", "{\"itemId\": 1, \"choice\": "), 400, "malformed JSON");
    assertError(rater.post("/api/labels", "[1, 2]"), 400, "JSON object");
    assertError(rater.raw("/api/labels", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415, "application/json");
    assertError(rater.post("/api/labels", Map.of("itemId", "one", "idempotencyKey", "k", "choice", "A")), 400, "'itemId' must be an integer");
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "C")), 400, "'choice' must be one of");
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "bad key!", "choice", "A")), 400, "idempotencyKey");
    assertError(s.admin.get("/api/projects/abc/quality"), 400, "must be an integer");
    assertThat(labels()).isZero();
  }

  @Test void oversizeBodyIs413() {
    String big = "{\"itemId\": " + item + ", \"idempotencyKey\": \"k\", \"choice\": \"A\", \"pad\": \"" + "x".repeat(300 * 1024) + "\"}";
    assertError(rater.post("/api/labels", big), 413, "exceeds the limit");
    assertThat(labels()).isZero();
  }

  @Test void sqlInjectionIsInert() {
    assertError(Client.login(s.base, "r1", TestServer.PASSWORD).post("/api/login", Map.of("username", "admin' OR '1'='1", "password", "x' OR '1'='1")), 401, "wrong username or password");
    String evil = "x'); DROP TABLE labels; --";
    long id = s.project(Map.of("name", evil, "kind", "pairwise"));
    assertThat(s.admin.ok(s.admin.get("/api/projects/" + id), 200).get("name").asText()).isEqualTo(evil);
    rater.ok(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k1", "choice", "A")), 201);
    assertThat(labels()).isEqualTo(1);
  }

  @Test void htmlIsReturnedAsDataNeverMarkup() {
    Client.Resp r = rater.get("/api/projects/" + project + "/next");
    assertThat(r.json().get("prompt").asText()).isEqualTo("<script>alert(1)</script>");
    assertThat(s.admin.get("/api/health").body()).doesNotContain("<");
    Client.Resp page = new Client(s.base).send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + "/")).GET());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<title>rlhf4j feedback</title>");
  }

  @Test void wrongRoleAndOtherProjectsAreForbidden() {
    long before = s.count("SELECT COUNT(*) FROM projects");
    assertError(rater.post("/api/projects", Map.of("name", "mine", "kind", "pairwise")), 403, "admin role required");
    assertError(rater.post("/api/users", Map.of("username", "x", "password", "12345678", "role", "admin")), 403, "admin role required");
    assertError(rater.get("/api/projects/" + project + "/quality"), 403, "admin role required");
    assertError(rater.get("/api/projects/" + project + "/export?format=preferences"), 403, "admin role required");
    Client mallory = Client.login(s.base, "mallory", TestServer.PASSWORD);
    assertError(mallory.get("/api/projects/" + project + "/next"), 403, "not a member");
    assertError(mallory.get("/api/projects/" + project), 403, "not a member");
    assertThat(mallory.ok(mallory.get("/api/projects"), 200)).isEmpty();
    assertError(mallory.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "m", "choice", "A")), 403, "not assigned");
    assertError(new Client(s.base).get("/api/projects"), 401, "log in");
    Client badToken = new Client(s.base);
    badToken.bearer = "rlt_forged";
    assertError(badToken.post("/api/production/feedback", Map.of("prompt", "p", "response", "r", "thumb", "up")), 401, "invalid API token");
    assertError(rater.post("/api/production/feedback", Map.of("prompt", "p", "response", "r", "thumb", "up")), 401, "API token");
    assertThat(s.count("SELECT COUNT(*) FROM projects")).isEqualTo(before);
    assertThat(s.count("SELECT COUNT(*) FROM users")).isEqualTo(3);
    assertThat(labels()).isZero();
  }

  @Test void forgedOrMissingCsrfTokenIs403() {
    String real = rater.csrf;
    rater.csrf = "forged-" + real;
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "A")), 403, "CSRF");
    rater.csrf = null;
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "A")), 403, "CSRF");
    Client other = Client.login(s.base, "mallory", TestServer.PASSWORD);
    rater.csrf = other.csrf;  // a valid token of another session
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "A")), 403, "CSRF");
    assertThat(labels()).isZero();
    rater.csrf = real;
    rater.ok(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "A")), 201);
  }

  @Test void replayedSubmissionsAreStoredOnce() {
    var first = rater.ok(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "once", "choice", "A")), 201);
    var again = rater.ok(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "once", "choice", "A")), 200);
    assertThat(again.get("replayed").asBoolean()).isTrue();
    assertThat(again.get("labelId").asLong()).isEqualTo(first.get("labelId").asLong());
    assertError(rater.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "twice", "choice", "B")), 409, "already labelled");
    assertError(rater.post("/api/labels", Map.of("itemId", item + 1000, "idempotencyKey", "once", "choice", "B")), 409, "already used");
    assertThat(labels()).isEqualTo(1);
    assertThat(s.count("SELECT COUNT(*) FROM labels WHERE choice = 'A'")).isEqualTo(1);
  }

  @Test void logoutEndsTheSession() {
    rater.ok(rater.post("/api/logout", Map.of()), 200);
    assertError(rater.get("/api/me"), 401, "log in");
  }

  @Test void malformedJsonlImportNamesTheLineAndStoresNothing() {
    long before = s.count("SELECT COUNT(*) FROM items");
    byte[] body = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\": \"p\", \"chosen\": \n".getBytes(StandardCharsets.UTF_8);
    Client.Resp r = s.admin.raw("/api/projects/" + project + "/import?format=preferences", "application/x-ndjson", body);
    assertError(r, 400, "upload:2");
    assertError(s.admin.raw("/api/projects/" + project + "/import?format=nope", "application/x-ndjson", body), 400, "format");
    assertThat(s.count("SELECT COUNT(*) FROM items")).isEqualTo(before);
  }

  @Test void jsonNestedAThousandLevelsIs400() {
    String deep = "{\"itemId\": " + "[".repeat(1000) + "]".repeat(1000) + "}";
    assertError(rater.post("/api/labels", deep), 400, "nested deeper than");
    assertError(new Client(s.base).post("/api/login", deep), 400, "nested deeper than");
    String line = "{\"prompt\": " + "[".repeat(1000) + "]".repeat(1000) + ", \"chosen\": \"a\", \"rejected\": \"b\"}\n";
    assertError(s.admin.raw("/api/projects/" + project + "/import?format=preferences", "application/x-ndjson", line.getBytes(StandardCharsets.UTF_8)), 400, "upload:1");
    assertThat(labels()).isZero();
  }

  @Test void nulCharactersAndUnpairedSurrogatesAre400AndStoreNothing() {
    long projects = s.count("SELECT COUNT(*) FROM projects");
    long items = s.count("SELECT COUNT(*) FROM items");
    assertError(new Client(s.base).post("/api/login", Map.of("username", "r1\u0000", "password", TestServer.PASSWORD)), 400, "NUL");
    assertError(s.admin.post("/api/projects", Map.of("name", "a\u0000b", "kind", "pairwise")), 400, "'name' must not contain the NUL");
    assertError(s.admin.post("/api/projects", "{\"name\": \"a\\ud800b\", \"kind\": \"pairwise\"}"), 400, "unpaired surrogate");  // JSON escape
    assertError(s.admin.post("/api/projects/" + project + "/guidelines", Map.of("body", "rule\u0000")), 400, "NUL");
    assertError(s.admin.post("/api/projects/" + project + "/items", Map.of("items", List.of(ServiceScenarios.item("p\u0000", null, "a", "b")))), 400, "items[0]");
    assertError(s.admin.post("/api/projects/" + project + "/items", Map.of("items", List.of(Map.of("prompt", List.of(Map.of("role", "user", "content", "x\u0000")),
        "responses", List.of("a", "b"))))), 400, "NUL");
    byte[] jsonl = "{\"prompt\": \"p\\u0000\", \"chosen\": \"a\", \"rejected\": \"b\"}\n".getBytes(StandardCharsets.UTF_8);
    assertError(s.admin.raw("/api/projects/" + project + "/import?format=preferences", "application/x-ndjson", jsonl), 400, "NUL");
    assertThat(s.count("SELECT COUNT(*) FROM projects")).isEqualTo(projects);
    assertThat(s.count("SELECT COUNT(*) FROM items")).isEqualTo(items);
    assertThat(s.count("SELECT COUNT(*) FROM guidelines")).isZero();
  }

  @Test void integersBeyond64BitsAreRejectedNeverWrapped() {
    String huge = "18446744073709551617";  // 2^64 + 1: wraps to 1 as a long
    assertError(rater.post("/api/labels", "{\"itemId\": " + huge + ", \"idempotencyKey\": \"k\", \"choice\": \"A\"}"), 400, "'itemId' must be in [1, ");
    assertError(rater.post("/api/labels", "{\"itemId\": -" + huge + ", \"idempotencyKey\": \"k\", \"choice\": \"A\"}"), 400, "'itemId' must be in");
    assertError(s.admin.post("/api/projects", "{\"name\": \"n\", \"kind\": \"pairwise\", \"ratingsPerItem\": " + huge + "}"), 400, "'ratingsPerItem'");
    assertError(s.admin.post("/api/projects/" + project + "/uncertainty", "{\"scores\": [{\"itemId\": " + huge + ", \"score\": 1}]}"), 400, "'itemId'");
    assertThat(labels()).isZero();
    assertThat(s.count("SELECT COUNT(*) FROM items WHERE scored = 1")).isZero();
  }

  @Test void invalidUtf8InAnImportIsRejectedWithTheLine() throws Exception {
    long before = s.count("SELECT COUNT(*) FROM items");
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n\n{\"prompt\": \"caf".getBytes(StandardCharsets.UTF_8));
    body.write(new byte[] {(byte) 0xE9});  // Latin-1 é
    body.write("\", \"chosen\": \"a\", \"rejected\": \"b\"}\n".getBytes(StandardCharsets.UTF_8));
    String url = "/api/projects/" + project + "/import?format=preferences";
    assertError(s.admin.raw(url, "application/x-ndjson", body.toByteArray()), 400, "upload:3: not valid UTF-8 (byte 0xE9)");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
      z.write(body.toByteArray());
    }
    assertError(s.admin.raw(url, "application/x-ndjson", gz.toByteArray()), 400, "upload:3: not valid UTF-8");
    byte[] badJson = "{\"username\": \"r\u00e9\", \"password\": \"x\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertError(new Client(s.base).raw("/api/login", "application/json", badJson), 400, "malformed JSON");
    assertThat(s.count("SELECT COUNT(*) FROM items")).isEqualTo(before);
  }
}

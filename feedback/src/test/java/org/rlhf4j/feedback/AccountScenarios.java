package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rlhf4j.feedback.HostileScenarios.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Account management: passwords, deactivation, sessions, API tokens, members, cookies; run on SQLite and PostgreSQL. */
abstract class AccountScenarios {
  static final String NEW_PASSWORD = "a brand new passphrase";
  @TempDir Path tmp;
  TestServer s;

  abstract String dbUrl(Path tmp);

  TestServer server() { return s = new TestServer(dbUrl(tmp)); }

  @AfterEach void stop() { if (s != null) s.close(); }

  long userId(String name) {
    for (JsonNode u : s.admin.ok(s.admin.get("/api/users"), 200)) if (u.get("username").asText().equals(name)) return u.get("id").asLong();
    throw new AssertionError("no user " + name);
  }

  @Test void aPasswordChangeChecksTheCurrentOneAndEndsTheOtherSessions() {
    server();
    Client here = s.rater("r1");
    Client elsewhere = Client.login(s.base, "r1", TestServer.PASSWORD);
    assertError(here.post("/api/me/password", Map.of("currentPassword", "not-it-at-all", "newPassword", NEW_PASSWORD)), 403, "current password is wrong");
    assertError(here.post("/api/me/password", Map.of("currentPassword", TestServer.PASSWORD, "newPassword", "short")), 400, "at least 12");
    JsonNode ok = here.ok(here.post("/api/me/password", Map.of("currentPassword", TestServer.PASSWORD, "newPassword", NEW_PASSWORD)), 200);
    assertThat(ok.get("otherSessionsEnded").asInt()).isEqualTo(1);
    here.ok(here.get("/api/me"), 200);
    assertError(elsewhere.get("/api/me"), 401, "log in");
    assertError(LoginScenarios.login(s, "r1", TestServer.PASSWORD), 401, "wrong username or password");
    assertThat(LoginScenarios.login(s, "r1", NEW_PASSWORD).status()).isEqualTo(200);
  }

  @Test void aDeactivatedUserLosesSessionsAndCannotLogInUntilReactivated() {
    server();
    Client r1 = s.rater("r1");
    long id = userId("r1");
    JsonNode off = s.admin.ok(s.admin.post("/api/users/" + id + "/active", Map.of("active", false)), 200);
    assertThat(off.get("sessionsEnded").asInt()).isEqualTo(1);
    assertError(r1.get("/api/me"), 401, "log in");
    assertError(LoginScenarios.login(s, "r1", TestServer.PASSWORD), 403, "deactivated");
    assertError(LoginScenarios.login(s, "r1", "a wrong password"), 401, "wrong username or password");  // no hint without the password
    assertThat(s.admin.ok(s.admin.get("/api/users"), 200).findValues("active")).extracting(JsonNode::asBoolean).containsExactly(true, false);
    assertError(s.admin.post("/api/users/" + userId("admin") + "/active", Map.of("active", false)), 409, "your own account");
    s.admin.ok(s.admin.post("/api/users/" + id + "/active", Map.of("active", true)), 200);
    assertThat(LoginScenarios.login(s, "r1", TestServer.PASSWORD).status()).isEqualTo(200);
  }

  @Test void anAdminResetEndsEverySessionAndSessionsCanBePurged() {
    server();
    Client r1 = s.rater("r1");
    Client.login(s.base, "r1", TestServer.PASSWORD);
    long id = userId("r1");
    assertThat(s.admin.ok(s.admin.get("/api/users"), 200).get(1).get("sessions").asInt()).isEqualTo(2);
    assertThat(s.admin.ok(s.admin.delete("/api/users/" + id + "/sessions"), 200).get("sessionsEnded").asInt()).isEqualTo(2);
    assertError(r1.get("/api/me"), 401, "log in");
    Client again = Client.login(s.base, "r1", TestServer.PASSWORD);
    assertThat(s.admin.ok(s.admin.post("/api/users/" + id + "/password", Map.of("newPassword", NEW_PASSWORD)), 200).get("sessionsEnded").asInt()).isEqualTo(1);
    assertError(again.get("/api/me"), 401, "log in");
    assertThat(LoginScenarios.login(s, "r1", NEW_PASSWORD).status()).isEqualTo(200);
    assertError(s.admin.delete("/api/users/99999/sessions"), 404, "no user");
  }

  @Test void apiTokensAreListedWithoutTheirSecretRevokedAndExpire() {
    server();
    JsonNode created = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "chat-app", "expiresInDays", 30)), 201);
    JsonNode other = s.admin.ok(s.admin.post("/api/tokens", Map.of("name", "batch")), 201);
    Client app = new Client(s.base);
    app.bearer = created.get("token").asText();
    Map<String, Object> thumb = Map.of("prompt", "p", "response", "r", "thumb", "up");
    app.ok(app.post("/api/production/feedback", thumb), 201);
    JsonNode list = s.admin.ok(s.admin.get("/api/tokens"), 200);
    assertThat(list).hasSize(2);
    assertThat(list.toString()).doesNotContain(app.bearer).doesNotContain(Auth.sha256(app.bearer));
    assertThat(list.findValuesAsText("state")).containsExactly("active", "active");
    assertThat(other.get("expiresAt").asLong() - created.get("expiresAt").asLong()).isBetween(59L * 86_400_000, 61L * 86_400_000);  // 90 vs 30 days
    s.admin.ok(s.admin.delete("/api/tokens/" + created.get("id").asLong()), 200);
    assertError(app.post("/api/production/feedback", thumb), 401, "invalid API token");
    s.exec("UPDATE api_tokens SET expires_at = ? WHERE id = ?", System.currentTimeMillis() - 1, other.get("id").asLong());
    app.bearer = other.get("token").asText();
    assertError(app.post("/api/production/feedback", thumb), 401, "invalid API token");
    assertThat(s.admin.ok(s.admin.get("/api/tokens"), 200).findValuesAsText("state")).containsExactly("revoked", "expired");
    assertError(s.admin.delete("/api/tokens/99999"), 404, "no API token");
    assertThat(s.count("SELECT COUNT(*) FROM production_feedback")).isEqualTo(1);
  }

  @Test void theCsrfTokenIsDerivedNotStoredAndTheCookieIsSecureWhenAsked() {
    server();
    Client r1 = s.rater("r1");
    assertThat(r1.ok(r1.get("/api/me"), 200).get("csrfToken").asText()).isEqualTo(r1.csrf);
    List<String> stored = new java.util.ArrayList<>();
    try (Db db = new Db(s.dbUrl)) {
      db.read(c -> Db.query(c, "SELECT * FROM sessions", rs -> {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) stored.add(String.valueOf(rs.getObject(i)));
        return null;
      }));
    }
    assertThat(stored).isNotEmpty().noneMatch(v -> v.contains(r1.csrf));
    Client.Resp plain = LoginScenarios.login(s, "r1", TestServer.PASSWORD);
    assertThat(plain.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
    s.close();
    s = new TestServer(dbUrl(tmp), c -> c.behindProxy(true, false));
    assertThat(LoginScenarios.login(s, "admin", TestServer.ADMIN_PASSWORD).header("Set-Cookie")).contains("Secure");
  }

  @Test void membersAreListedAndRemovedAndAdminsSeeItemCounts() {
    server();
    Client r1 = s.rater("r1");
    s.rater("r2");
    long p = s.project(Map.of("name", "m", "kind", "pairwise", "goldRate", 0.0), "r1", "r2");
    s.items(p, List.of(ServiceScenarios.item("q1", null, "a", "b"), ServiceScenarios.item("g", "A", "a", "b")));
    r1.ok(r1.get("/api/projects/" + p + "/next"), 200);  // an open assignment
    assertThat(s.admin.ok(s.admin.get("/api/projects/" + p + "/members"), 200).findValuesAsText("username")).containsExactly("r1", "r2");
    JsonNode removed = s.admin.ok(s.admin.delete("/api/projects/" + p + "/members/r1"), 200);
    assertThat(removed.get("assignmentsReleased").asInt()).isEqualTo(1);
    assertError(r1.get("/api/projects/" + p + "/next"), 403, "not a member");
    assertError(s.admin.delete("/api/projects/" + p + "/members/r1"), 404, "not a member");
    Map<String, Long> counts = new HashMap<>();
    s.admin.ok(s.admin.get("/api/projects/" + p), 200).get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    assertThat(counts).containsEntry("items", 2L).containsEntry("goldItems", 1L).containsEntry("labels", 0L).containsEntry("members", 1L);
    assertThat(r1.get("/api/projects/" + p).status()).isEqualTo(403);
    Client r2 = Client.login(s.base, "r2", TestServer.PASSWORD);
    assertThat(r2.ok(r2.get("/api/projects/" + p), 200).has("counts")).as("raters see no counts").isFalse();
  }
}

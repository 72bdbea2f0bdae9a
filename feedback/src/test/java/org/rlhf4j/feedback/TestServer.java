package org.rlhf4j.feedback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** A server on a random loopback port with a known admin password and cheap bcrypt (tests only). */
final class TestServer implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password-123";
  static final String PASSWORD = "rater-password-123";

  final FeedbackServer server;
  final String dbUrl;
  final String base;
  final Client admin;

  TestServer(String dbUrl) { this(dbUrl, c -> c); }

  /** A server whose test configuration {@code adjust} changes (e.g. Secure cookies). */
  TestServer(String dbUrl, java.util.function.UnaryOperator<FeedbackConfig> adjust) {
    this.dbUrl = dbUrl;
    this.server = FeedbackServer.start(adjust.apply(FeedbackConfig.defaults(0, dbUrl).withBcryptCost(4)), ADMIN_PASSWORD,
        new PrintStream(new ByteArrayOutputStream()));
    this.base = server.baseUrl();
    this.admin = Client.login(base, "admin", ADMIN_PASSWORD);
  }

  Client rater(String name) {
    Client.Resp r = admin.post("/api/users", Map.of("username", name, "password", PASSWORD, "role", "rater"));
    if (r.status() != 201 && r.status() != 409) throw new AssertionError(r.toString());
    return Client.login(base, name, PASSWORD);
  }

  /** Creates a project and makes the given users members; returns its id. */
  long project(Map<String, Object> spec, String... members) {
    long id = admin.ok(admin.post("/api/projects", spec), 201).get("id").asLong();
    for (String m : members) admin.ok(admin.post("/api/projects/" + id + "/members", Map.of("username", m)), 201);
    return id;
  }

  List<Long> items(long project, List<Map<String, Object>> items) {
    var ids = admin.ok(admin.post("/api/projects/" + project + "/items", Map.of("items", items)), 201).get("ids");
    return java.util.stream.StreamSupport.stream(ids.spliterator(), false).map(n -> n.asLong()).toList();
  }

  /** Direct count on the server's database (bypassing the API). */
  long count(String sql, Object... params) {
    try (Db db = new Db(dbUrl)) {
      return db.read(c -> Db.count(c, sql, params));
    }
  }

  /** A direct update on the server's database (bypassing the API). */
  int exec(String sql, Object... params) {
    try (Db db = new Db(dbUrl)) {
      return db.write(c -> Db.update(c, sql, params));
    }
  }

  @Override public void close() { server.close(); }
}

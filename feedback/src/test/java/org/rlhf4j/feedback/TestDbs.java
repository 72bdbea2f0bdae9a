package org.rlhf4j.feedback;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** Database URLs for tests: a fresh SQLite file, or a fresh schema in the PostgreSQL at RLHF4J_TEST_PG_URL. */
final class TestDbs {
  static final String PG_ENV = "RLHF4J_TEST_PG_URL";

  private TestDbs() {}

  static String sqlite(Path dir) { return dir.resolve("feedback-" + UUID.randomUUID() + ".db").toString(); }

  /** A URL selecting a new empty schema; skips the test (with the reason printed) when the env var is unset. */
  static String postgres() {
    String url = System.getenv(PG_ENV);
    if (url == null || url.isBlank()) {
      System.out.println("SKIPPED: PostgreSQL tests need " + PG_ENV + "=postgresql://user:pass@127.0.0.1:5432/db (unset)");
      Assumptions.abort(PG_ENV + " is not set");
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    URI u = URI.create(url);
    String[] user = u.getUserInfo() == null ? new String[] {null, null} : u.getUserInfo().split(":", 2);
    String jdbc = "jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getPath();
    try (Connection c = DriverManager.getConnection(jdbc, user[0], user.length > 1 ? user[1] : null); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      System.out.println("SKIPPED: cannot reach PostgreSQL at " + PG_ENV + ": " + e.getMessage());
      Assumptions.abort("PostgreSQL unreachable: " + e.getMessage());
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}

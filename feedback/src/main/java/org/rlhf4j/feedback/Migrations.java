package org.rlhf4j.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations: plain SQL files {@code db/migration/V<n>__<name>.sql}, applied in order once
 * each and recorded in {@code schema_version}. One schema serves both dialects; {@code ${id}} expands to the
 * dialect's auto-increment primary key. Where the dialects need different statements (SQLite cannot alter a
 * constraint), {@code db/migration/sqlite/} and {@code db/migration/postgres/} hold that file's two versions.
 * After migrating, {@link TaskKind#checkSchema} checks that every task kind has its migration.
 */
final class Migrations {
  /** All migrations, oldest first. Append new files here; never edit an applied one. */
  static final List<String> FILES = List.of("V1__schema.sql", "V2__informative_order_index.sql", "V3__task_kinds.sql", "V4__accounts.sql", "V5__pii.sql",
      "V6__dp_ledger.sql", "V7__local_dp.sql", "V8__implicit_feedback.sql", "V9__feedback_response_id.sql");

  private Migrations() {}

  static void apply(Db db) { apply(db, FILES.size()); }

  /** Applies the first {@code count} migrations (tests migrate an old schema step by step). */
  static void apply(Db db, int count) {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      }
      return null;
    });
    for (String file : FILES.subList(0, count)) {
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      db.writeSchema(c -> {
        if (Db.count(c, "SELECT COUNT(*) FROM schema_version WHERE version = ?", version) > 0) return null;
        run(c, expand(load(file, db.dialect()), db.dialect()));
        Db.update(c, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)", version, file, System.currentTimeMillis());
        return null;
      });
    }
    if (count == FILES.size()) db.read(c -> {
      TaskKind.checkSchema(c);
      return null;
    });
  }

  static String expand(String sql, Db.Dialect dialect) {
    String id = dialect == Db.Dialect.SQLITE ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
    return sql.replace("${id}", id);
  }

  private static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String stmt : sql.split(";\\s*\\n")) {
        String body = stmt.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
        if (!body.isEmpty()) s.execute(body);
      }
    }
  }

  private static String load(String file, Db.Dialect dialect) {
    String specific = "/db/migration/" + dialect.name().toLowerCase() + "/" + file;
    try (InputStream in = Migrations.class.getResource(specific) != null ? Migrations.class.getResourceAsStream(specific)
        : Migrations.class.getResourceAsStream("/db/migration/" + file)) {
      if (in == null) throw new IllegalStateException("missing migration resource db/migration/" + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + file + ": " + e.getMessage(), e);
    }
  }
}

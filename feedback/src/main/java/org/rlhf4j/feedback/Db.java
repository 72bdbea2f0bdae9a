package org.rlhf4j.feedback;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The database: a HikariCP pool over SQLite (embedded, default) or PostgreSQL, with transaction helpers.
 * SQLite allows one writer at a time, so writes are serialised in-process by a lock (readers run in parallel
 * under WAL); PostgreSQL writes run concurrently.
 */
final class Db implements AutoCloseable {
  enum Dialect { SQLITE, POSTGRES }

  @FunctionalInterface interface SqlFn<T> { T apply(Connection c) throws SQLException; }
  @FunctionalInterface interface RowMapper<T> { T map(ResultSet rs) throws SQLException; }

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock();

  Db(String url) { this(url, Migrations.FILES.size()); }

  /** A database migrated to the first {@code migrations} schema versions (tests start from an old schema). */
  Db(String url, int migrations) {
    HikariConfig hc = new HikariConfig();
    String u = url == null || url.isBlank() ? "rlhf4j-feedback.db" : url.trim();
    if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
      dialect = Dialect.POSTGRES;
      configurePostgres(hc, URI.create(u));
    } else if (u.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRES;
      hc.setJdbcUrl(u);
    } else {
      dialect = Dialect.SQLITE;
      String path = u.startsWith("jdbc:sqlite:") ? u.substring(12) : u.startsWith("sqlite:") ? u.substring(7) : u;
      hc.setJdbcUrl("jdbc:sqlite:" + path);
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("synchronous", "NORMAL"); // WAL + NORMAL: a committed write survives a process kill
      hc.addDataSourceProperty("busy_timeout", "30000");
      hc.addDataSourceProperty("foreign_keys", "true");
      hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");  // a transaction takes the write lock when it begins, so what it reads stays current
    }
    hc.setMaximumPoolSize(dialect == Dialect.SQLITE ? 8 : 20);
    hc.setPoolName("rlhf4j-feedback");
    pool = new HikariDataSource(hc);
    try {
      Migrations.apply(this, migrations);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static void configurePostgres(HikariConfig hc, URI uri) {
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    hc.setJdbcUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query);
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      hc.setUsername(decode(colon < 0 ? info : info.substring(0, colon)));
      if (colon >= 0) hc.setPassword(decode(info.substring(colon + 1)));
    }
  }

  private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

  Dialect dialect() { return dialect; }

  /** Runs {@code fn} in one transaction (committed when it returns, rolled back when it throws). */
  <T> T write(SqlFn<T> fn) { return transaction(fn, false); }

  /**
   * Runs a schema change in one transaction. On SQLite, foreign keys are checked once before the commit
   * ({@code PRAGMA foreign_key_check}) instead of per statement, as SQLite's table-rebuild procedure requires.
   */
  <T> T writeSchema(SqlFn<T> fn) { return transaction(fn, dialect == Dialect.SQLITE); }

  private <T> T transaction(SqlFn<T> fn, boolean deferForeignKeys) {
    boolean lock = dialect == Dialect.SQLITE;
    if (lock) writeLock.lock();
    try (Connection c = pool.getConnection()) {
      if (deferForeignKeys) pragma(c, "PRAGMA foreign_keys = OFF");
      c.setAutoCommit(false);
      try {
        T result = fn.apply(c);
        if (deferForeignKeys && !query(c, "PRAGMA foreign_key_check", rs -> rs.getString(1)).isEmpty()) {
          throw new SQLException("schema change would break foreign keys (PRAGMA foreign_key_check)");
        }
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
        if (deferForeignKeys) pragma(c, "PRAGMA foreign_keys = ON");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("database error: " + e.getMessage(), e);
    } finally {
      if (lock) writeLock.unlock();
    }
  }

  private static void pragma(Connection c, String sql) throws SQLException {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs read-only {@code fn} on a pooled connection in auto-commit mode. */
  <T> T read(SqlFn<T> fn) {
    try (Connection c = pool.getConnection()) {
      return fn.apply(c);
    } catch (SQLException e) {
      throw new IllegalStateException("database error: " + e.getMessage(), e);
    }
  }

  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(mapper.map(rs));
      return out;
    }
  }

  static <T> T queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    List<T> rows = query(c, sql, mapper, params);
    return rows.isEmpty() ? null : rows.get(0);
  }

  static long count(Connection c, String sql, Object... params) throws SQLException {
    Long n = queryOne(c, sql, rs -> rs.getLong(1), params);
    return n == null ? 0 : n;
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /** Runs an INSERT and returns the new row's {@code id}. */
  static long insert(Connection c, String sql, Object... params) throws SQLException {
    return queryOne(c, sql + " RETURNING id", rs -> rs.getLong(1), params);
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
    return ps;
  }

  /** True when {@code e} is a unique-constraint violation (PostgreSQL 23505, SQLite CONSTRAINT_UNIQUE). */
  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if ("23505".equals(s.getSQLState())) return true;
        if (s.getErrorCode() == 19 || s.getErrorCode() == 2067 || String.valueOf(s.getMessage()).contains("UNIQUE constraint failed")) return true;
      }
    }
    return false;
  }

  @Override public void close() { pool.close(); }
}

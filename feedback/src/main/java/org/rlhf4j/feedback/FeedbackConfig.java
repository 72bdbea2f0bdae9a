package org.rlhf4j.feedback;

/**
 * Settings of the feedback service.
 *
 * @param host            interface to bind (loopback by default)
 * @param port            TCP port; 0 picks a free one
 * @param dbUrl           SQLite file path / {@code jdbc:sqlite:...}, or {@code postgresql://user:pass@host:port/db}
 * @param bcryptCost      bcrypt work factor (4..31; 12 in production, lower only in tests)
 * @param maxBodyBytes    largest accepted JSON request body
 * @param maxImportBytes  largest accepted import (JSONL) body
 * @param sessionMillis   session lifetime
 */
public record FeedbackConfig(String host, int port, String dbUrl, int bcryptCost, long maxBodyBytes, long maxImportBytes, long sessionMillis) {
  public FeedbackConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("FeedbackConfig.host must not be blank");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("FeedbackConfig.port must be in [0, 65535] but was " + port);
    if (dbUrl == null || dbUrl.isBlank()) throw new IllegalArgumentException("FeedbackConfig.dbUrl must not be blank");
    if (bcryptCost < 4 || bcryptCost > 31) throw new IllegalArgumentException("FeedbackConfig.bcryptCost must be in [4, 31] but was " + bcryptCost);
    if (maxBodyBytes < 1024) throw new IllegalArgumentException("FeedbackConfig.maxBodyBytes must be at least 1024 but was " + maxBodyBytes);
    if (maxImportBytes < maxBodyBytes) throw new IllegalArgumentException("FeedbackConfig.maxImportBytes must be >= maxBodyBytes");
    if (sessionMillis < 60_000) throw new IllegalArgumentException("FeedbackConfig.sessionMillis must be at least one minute");
  }

  /** Production defaults: loopback, bcrypt cost 12, 256 KiB JSON bodies, 64 MiB imports, 12 h sessions. */
  public static FeedbackConfig defaults(int port, String dbUrl) {
    return new FeedbackConfig("127.0.0.1", port, dbUrl, 12, 256 * 1024, 64L * 1024 * 1024, 12 * 3600_000L);
  }

  public FeedbackConfig withBcryptCost(int cost) {
    return new FeedbackConfig(host, port, dbUrl, cost, maxBodyBytes, maxImportBytes, sessionMillis);
  }

  public FeedbackConfig withHost(String h) {
    return new FeedbackConfig(h, port, dbUrl, bcryptCost, maxBodyBytes, maxImportBytes, sessionMillis);
  }
}

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
 * @param login           failed-login throttling
 * @param secureCookies   mark the session cookie {@code Secure} (serve over HTTPS, e.g. behind a TLS proxy)
 * @param trustProxy      take the client address from the last {@code X-Forwarded-For} hop (only behind a proxy that sets it)
 * @param implicit        how interaction events on served responses become weak labels ({@link ImplicitRules})
 */
public record FeedbackConfig(String host, int port, String dbUrl, int bcryptCost, long maxBodyBytes, long maxImportBytes, long sessionMillis,
    LoginPolicy login, boolean secureCookies, boolean trustProxy, ImplicitRules implicit) {
  public FeedbackConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("FeedbackConfig.host must not be blank");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("FeedbackConfig.port must be in [0, 65535] but was " + port);
    if (dbUrl == null || dbUrl.isBlank()) throw new IllegalArgumentException("FeedbackConfig.dbUrl must not be blank");
    if (bcryptCost < 4 || bcryptCost > 31) throw new IllegalArgumentException("FeedbackConfig.bcryptCost must be in [4, 31] but was " + bcryptCost);
    if (maxBodyBytes < 1024) throw new IllegalArgumentException("FeedbackConfig.maxBodyBytes must be at least 1024 but was " + maxBodyBytes);
    if (maxImportBytes < maxBodyBytes) throw new IllegalArgumentException("FeedbackConfig.maxImportBytes must be >= maxBodyBytes");
    if (sessionMillis < 60_000) throw new IllegalArgumentException("FeedbackConfig.sessionMillis must be at least one minute");
    if (login == null) throw new IllegalArgumentException("FeedbackConfig.login must not be null");
    if (implicit == null) throw new IllegalArgumentException("FeedbackConfig.implicit must not be null");
  }

  /** Production defaults: loopback, bcrypt cost 12, 256 KiB JSON bodies, 64 MiB imports, 12 h sessions, default login throttling. */
  public static FeedbackConfig defaults(int port, String dbUrl) {
    return new FeedbackConfig("127.0.0.1", port, dbUrl, 12, 256 * 1024, 64L * 1024 * 1024, 12 * 3600_000L, LoginPolicy.defaults(), false, false, ImplicitRules.defaults());
  }

  public FeedbackConfig withBcryptCost(int cost) {
    return new FeedbackConfig(host, port, dbUrl, cost, maxBodyBytes, maxImportBytes, sessionMillis, login, secureCookies, trustProxy, implicit);
  }

  public FeedbackConfig withHost(String h) {
    return new FeedbackConfig(h, port, dbUrl, bcryptCost, maxBodyBytes, maxImportBytes, sessionMillis, login, secureCookies, trustProxy, implicit);
  }

  public FeedbackConfig withLogin(LoginPolicy policy) {
    return new FeedbackConfig(host, port, dbUrl, bcryptCost, maxBodyBytes, maxImportBytes, sessionMillis, policy, secureCookies, trustProxy, implicit);
  }

  public FeedbackConfig withImplicitRules(ImplicitRules rules) {
    return new FeedbackConfig(host, port, dbUrl, bcryptCost, maxBodyBytes, maxImportBytes, sessionMillis, login, secureCookies, trustProxy, rules);
  }

  /** Behind a TLS-terminating proxy: {@code Secure} cookies, and (with {@code trustProxy}) client addresses from X-Forwarded-For. */
  public FeedbackConfig behindProxy(boolean secure, boolean trust) {
    return new FeedbackConfig(host, port, dbUrl, bcryptCost, maxBodyBytes, maxImportBytes, sessionMillis, login, secure, trust, implicit);
  }
}

package org.rlhf4j.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions, API tokens and who is calling. Sessions and API tokens are stored as SHA-256 hashes only. A session is
 * a cookie plus a CSRF token that every state-changing request must echo in the {@code X-CSRF-Token} header; the
 * CSRF token is derived from the session token (a hash with its own prefix), so it is stored nowhere. Session
 * look-ups are cached for a few seconds, so a logout, purge or deactivation reaches every server process that soon.
 */
final class Auth {
  static final String COOKIE = "rlhf4j_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final Set<String> ROLES = Set.of("admin", "rater");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long PURGE_EVERY_MILLIS = 60_000;

  /** Who is calling: a logged-in user (with the session's CSRF token) or an API token (userId = its creator). */
  record Principal(long userId, String username, String role, String csrf, long tokenId) {
    boolean admin() { return "admin".equals(role) && tokenId == 0; }
    boolean viaToken() { return tokenId != 0; }
  }

  private record Cached(Principal principal, long expiresAt) {}

  private final Db db;
  private final long sessionMillis;
  private final Cache<String, Cached> sessions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(5)).build();
  private final AtomicLong lastPurge = new AtomicLong();

  Auth(Db db, long sessionMillis) {
    this.db = db;
    this.sessionMillis = sessionMillis;
  }

  /** Opens a session for an active user; returns its token (the cookie). Expired sessions are purged now and then. */
  String openSession(long userId) {
    long now = System.currentTimeMillis();
    String token = token();
    db.write(c -> Db.update(c, "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)", sha256(token), userId, now + sessionMillis));
    long last = lastPurge.get();
    if (now - last > PURGE_EVERY_MILLIS && lastPurge.compareAndSet(last, now)) {
      db.write(c -> Db.update(c, "DELETE FROM sessions WHERE expires_at <= ?", now));
    }
    return token;
  }

  void logout(String token) {
    if (token == null) return;
    String h = sha256(token);
    sessions.invalidate(h);
    db.write(c -> Db.update(c, "DELETE FROM sessions WHERE token_hash = ?", h));
  }

  /** Ends every session of the user except {@code keepToken} (null: all); returns how many ended. */
  int endSessions(long userId, String keepToken) {
    String keep = keepToken == null ? "" : sha256(keepToken);
    sessions.asMap().entrySet().removeIf(e -> e.getValue().principal().userId() == userId && !e.getKey().equals(keep));
    return db.write(c -> Db.update(c, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userId, keep));
  }

  Principal fromSession(String token) {
    String h = sha256(token);
    long now = System.currentTimeMillis();
    Cached cached = sessions.getIfPresent(h);
    if (cached != null && cached.expiresAt() > now) return cached.principal();
    Cached found = db.read(c -> Db.queryOne(c, "SELECT u.id, u.username, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
        + " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        rs -> new Cached(new Principal(rs.getLong(1), rs.getString(2), rs.getString(3), csrfFor(token), 0), rs.getLong(4)), h, now));
    if (found == null) {
      sessions.invalidate(h);
      return null;
    }
    sessions.put(h, found);
    return found.principal();
  }

  /** The caller behind an API token that is neither revoked nor expired. */
  Principal fromBearer(String token) {
    return db.read(c -> Db.queryOne(c, "SELECT u.id, u.username, t.id FROM api_tokens t JOIN users u ON u.id = t.created_by"
        + " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)",
        rs -> new Principal(rs.getLong(1), rs.getString(2), "token", null, rs.getLong(3)), sha256(token), System.currentTimeMillis()));
  }

  /** Resolves the caller from a Bearer token or the session cookie, and enforces CSRF on state changes. */
  void authenticate(Context ctx) {
    String authz = ctx.header("Authorization");
    Principal p = null;
    if (authz != null && authz.startsWith("Bearer ")) {
      p = fromBearer(authz.substring(7).trim());
      if (p == null) throw new UnauthorizedResponse("invalid API token (unknown, revoked or expired)");
    } else {
      String cookie = ctx.cookie(COOKIE);
      if (cookie != null) p = fromSession(cookie);
      if (p != null && !safe(ctx.method().name()) && !csrfMatches(p.csrf(), ctx.header(CSRF_HEADER))) {
        throw new ForbiddenResponse("missing or invalid CSRF token (send the session's token in the " + CSRF_HEADER + " header)");
      }
    }
    if (p != null) ctx.attribute("principal", p);
  }

  /** The CSRF token of a session: derived from its token, never stored. */
  static String csrfFor(String sessionToken) { return sha256("rlhf4j-csrf:" + sessionToken).substring(0, 43); }

  static void setCookie(Context ctx, String token, boolean secure) {
    Cookie cookie = new Cookie(COOKIE, token);
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setPath("/");
    cookie.setSecure(secure || ctx.req().isSecure());
    ctx.cookie(cookie);
  }

  /** The client's address: the last X-Forwarded-For hop when a trusted proxy sets it, else the connection's. */
  static String clientAddress(Context ctx, boolean trustProxy) {
    String forwarded = trustProxy ? ctx.header("X-Forwarded-For") : null;
    if (forwarded == null || forwarded.isBlank()) return ctx.ip();
    String[] hops = forwarded.split(",");
    return hops[hops.length - 1].strip();
  }

  static Principal user(Context ctx) {
    Principal p = ctx.attribute("principal");
    if (p == null) throw new UnauthorizedResponse("log in first");
    if (p.viaToken()) throw new ForbiddenResponse("API tokens may only use the production feedback API");
    return p;
  }

  static Principal admin(Context ctx) {
    Principal p = user(ctx);
    if (!p.admin()) throw new ForbiddenResponse("admin role required");
    return p;
  }

  static Principal apiToken(Context ctx) {
    Principal p = ctx.attribute("principal");
    if (p == null || !p.viaToken()) throw new UnauthorizedResponse("an API token (Authorization: Bearer ...) is required");
    return p;
  }

  private static boolean safe(String method) { return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"); }

  private static boolean csrfMatches(String expected, String given) {
    if (expected == null || given == null) return false;
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

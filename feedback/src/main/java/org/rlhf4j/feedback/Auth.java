package org.rlhf4j.feedback;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users, passwords (bcrypt), sessions with CSRF tokens, and API tokens. Sessions and API tokens are stored
 * as SHA-256 hashes only; a session is a cookie plus a per-session CSRF token that every state-changing
 * request must echo in the {@code X-CSRF-Token} header.
 */
final class Auth {
  static final String COOKIE = "rlhf4j_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final Set<String> ROLES = Set.of("admin", "rater");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who is calling: a logged-in user (with the session's CSRF token) or an API token (userId = its creator). */
  record Principal(long userId, String username, String role, String csrf, long tokenId) {
    boolean admin() { return "admin".equals(role) && tokenId == 0; }
    boolean viaToken() { return tokenId != 0; }
  }

  private final Db db;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final long sessionMillis;
  private record Cached(Principal principal, long expiresAt) {}

  private final Map<String, Cached> sessionCache = new ConcurrentHashMap<>();

  Auth(Db db, FeedbackConfig config) {
    this.db = db;
    this.passwords = new Passwords(config.bcryptCost());
    this.throttle = new LoginThrottle(config.login(), System::currentTimeMillis);
    this.sessionMillis = config.sessionMillis();
  }

  /** Creates a user; 400 when the name or the password may not be used, 409 when the name is taken. */
  long createUser(String username, String password, String role) {
    if (!ROLES.contains(role)) throw new BadRequestResponse("role must be admin or rater but was '" + role + "'");
    if (!username.matches("[A-Za-z0-9_.@-]{1,64}")) throw new BadRequestResponse("username must be 1-64 letters, digits or _.@-");
    Passwords.checkPolicy(password, username);
    String h = passwords.hash(password);
    try {
      return db.write(c -> Db.insert(c, "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
          username, h, role, System.currentTimeMillis()));
    } catch (IllegalStateException e) {
      if (Db.isUniqueViolation(e)) throw new ConflictResponse("user '" + username + "' already exists");
      throw e;
    }
  }

  /** Creates the first admin when there are no users; returns the password when it was generated, else null. */
  String ensureFirstAdmin(String envPassword) {
    if (db.read(c -> Db.count(c, "SELECT COUNT(*) FROM users")) > 0) return null;
    boolean generate = envPassword == null || envPassword.isBlank();
    String password = generate ? token().substring(0, 20) : envPassword;
    try {
      createUser("admin", password, "admin");
    } catch (BadRequestResponse e) {
      throw new IllegalArgumentException("RLHF4J_ADMIN_PASSWORD: " + e.getMessage());
    }
    return generate ? password : null;
  }

  record Session(String token, Principal principal) {}

  /**
   * Checks the password and opens a session; 401 with one message for any wrong name or password, 429 while the
   * account or the client address must wait after failed logins ({@link LoginThrottle}).
   */
  Session login(String username, String password, String address) {
    LoginThrottle.Attempt attempt = throttle.begin(username, address);
    record Row(long id, String hash, String role) {}
    Row row = db.read(c -> Db.queryOne(c, "SELECT id, password_hash, role FROM users WHERE username = ?",
        rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)), username));
    if (!passwords.verify(password, row == null ? null : row.hash())) throw new UnauthorizedResponse("wrong username or password");
    throttle.succeeded(attempt);
    String token = token();
    String csrf = token();
    db.write(c -> Db.update(c, "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
        sha256(token), row.id(), csrf, System.currentTimeMillis() + sessionMillis));
    return new Session(token, new Principal(row.id(), username, row.role(), csrf, 0));
  }

  void logout(String token) {
    if (token == null) return;
    String h = sha256(token);
    sessionCache.remove(h);
    db.write(c -> Db.update(c, "DELETE FROM sessions WHERE token_hash = ?", h));
  }

  Principal fromSession(String token) {
    String h = sha256(token);
    long now = System.currentTimeMillis();
    Cached cached = sessionCache.get(h);
    if (cached != null && cached.expiresAt() > now) return cached.principal();
    if (cached != null) sessionCache.remove(h);
    Cached found = db.read(c -> Db.queryOne(c, "SELECT u.id, u.username, u.role, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
        + " WHERE s.token_hash = ? AND s.expires_at > ?",
        rs -> new Cached(new Principal(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), 0), rs.getLong(5)), h, now));
    if (found == null) return null;
    sessionCache.put(h, found);
    return found.principal();
  }

  Principal fromBearer(String token) {
    return db.read(c -> Db.queryOne(c, "SELECT u.id, u.username, t.id FROM api_tokens t JOIN users u ON u.id = t.created_by WHERE t.token_hash = ?",
        rs -> new Principal(rs.getLong(1), rs.getString(2), "token", null, rs.getLong(3)), sha256(token)));
  }

  /** Creates an API token for the production feedback API and returns it (shown once; stored hashed). */
  String createApiToken(String name, long adminId) {
    String token = "rlt_" + token();
    db.write(c -> Db.insert(c, "INSERT INTO api_tokens (token_hash, name, created_by, created_at) VALUES (?, ?, ?, ?)",
        sha256(token), name, adminId, System.currentTimeMillis()));
    return token;
  }

  /** Resolves the caller from a Bearer token or the session cookie, and enforces CSRF on state changes. */
  void authenticate(Context ctx) {
    String authz = ctx.header("Authorization");
    Principal p = null;
    if (authz != null && authz.startsWith("Bearer ")) {
      p = fromBearer(authz.substring(7).trim());
      if (p == null) throw new UnauthorizedResponse("invalid API token");
    } else {
      String cookie = ctx.cookie(COOKIE);
      if (cookie != null) p = fromSession(cookie);
      if (p != null && !safe(ctx.method().name()) && !csrfMatches(p.csrf(), ctx.header(CSRF_HEADER))) {
        throw new ForbiddenResponse("missing or invalid CSRF token (send the session's token in the " + CSRF_HEADER + " header)");
      }
    }
    if (p != null) ctx.attribute("principal", p);
  }

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

package org.rlhf4j.feedback;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.UnauthorizedResponse;

/**
 * User accounts: creation under the password policy, login (throttled, {@link LoginThrottle}), password changes
 * and resets, and deactivation. A changed or reset password and a deactivation end the user's other sessions.
 */
final class Accounts {
  private final Db db;
  private final Auth auth;
  private final Passwords passwords;
  private final LoginThrottle throttle;

  Accounts(Db db, Auth auth, FeedbackConfig config) {
    this.db = db;
    this.auth = auth;
    this.passwords = new Passwords(config.bcryptCost());
    this.throttle = new LoginThrottle(config.login(), System::currentTimeMillis);
  }

  /** Creates a user; 400 when the name or the password may not be used, 409 when the name is taken. */
  long create(String username, String password, String role) {
    if (!Auth.ROLES.contains(role)) throw new BadRequestResponse("role must be admin or rater but was '" + role + "'");
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
    String password = generate ? Auth.token().substring(0, 20) : envPassword;
    try {
      create("admin", password, "admin");
    } catch (BadRequestResponse e) {
      throw new IllegalArgumentException("RLHF4J_ADMIN_PASSWORD: " + e.getMessage());
    }
    return generate ? password : null;
  }

  record Session(String token, Auth.Principal principal) {}

  private record Row(long id, String hash, String role, boolean active) {}

  private Row row(String username) {
    return db.read(c -> Db.queryOne(c, "SELECT id, password_hash, role, active FROM users WHERE username = ?",
        rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0), username));
  }

  /**
   * Checks the password and opens a session; 401 with one message for any wrong name or password, 429 while the
   * account or the client address must wait after failed logins, 403 for a deactivated account (told only to
   * whoever knows its password).
   */
  Session login(String username, String password, String address) {
    LoginThrottle.Attempt attempt = throttle.begin(username, address);
    Row row = row(username);
    if (!verify(attempt, password, row == null ? null : row.hash())) throw new UnauthorizedResponse("wrong username or password");
    throttle.succeeded(attempt);
    if (!row.active()) throw new ForbiddenResponse("account '" + username + "' is deactivated: ask an admin");
    String token = auth.openSession(row.id());
    return new Session(token, new Auth.Principal(row.id(), username, row.role(), Auth.csrfFor(token), 0));
  }

  /** Checks a password; when the server is too busy to (503), the attempt does not count as a failure. */
  private boolean verify(LoginThrottle.Attempt attempt, String password, String hash) {
    try {
      return passwords.verify(password, hash);
    } catch (ServiceUnavailableResponse e) {
      throttle.abandoned(attempt);
      throw e;
    }
  }

  /** The user's own change: the current password is checked (and throttled like a login); other sessions end. */
  int changePassword(Auth.Principal who, String current, String next, String address, String keepToken) {
    LoginThrottle.Attempt attempt = throttle.begin(who.username(), address);
    Row row = row(who.username());
    if (row == null || !verify(attempt, current, row.hash())) throw new ForbiddenResponse("the current password is wrong");
    throttle.succeeded(attempt);
    setPassword(row.id(), who.username(), next);
    return auth.endSessions(row.id(), keepToken);
  }

  /** An admin's reset: every session of the user ends. */
  int resetPassword(long userId, String next) {
    String username = username(userId);
    setPassword(userId, username, next);
    return auth.endSessions(userId, null);
  }

  private void setPassword(long userId, String username, String next) {
    Passwords.checkPolicy(next, username);
    String h = passwords.hash(next);
    db.write(c -> Db.update(c, "UPDATE users SET password_hash = ? WHERE id = ?", h, userId));
  }

  /** Deactivates (ending every session) or reactivates a user; an admin cannot deactivate themselves or the last active admin. */
  int setActive(Auth.Principal admin, long userId, boolean active) {
    if (!active && userId == admin.userId()) throw new ConflictResponse("you cannot deactivate your own account");
    db.write(c -> {
      String role = Db.queryOne(c, "SELECT role FROM users WHERE id = ?", rs -> rs.getString(1), userId);
      if (role == null) throw new NotFoundResponse("no user " + userId);
      if (!active && role.equals("admin") && Db.count(c, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> ?", userId) == 0) {
        throw new ConflictResponse("cannot deactivate the last active admin");
      }
      return Db.update(c, "UPDATE users SET active = ? WHERE id = ?", active ? 1 : 0, userId);
    });
    return active ? 0 : auth.endSessions(userId, null);
  }

  String username(long userId) {
    String name = db.read(c -> Db.queryOne(c, "SELECT username FROM users WHERE id = ?", rs -> rs.getString(1), userId));
    if (name == null) throw new NotFoundResponse("no user " + userId);
    return name;
  }
}

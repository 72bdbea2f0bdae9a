package org.rlhf4j.feedback;

import io.javalin.Javalin;
import io.javalin.http.Context;

/** Login/logout, the current user and their password; users, password resets, deactivation and sessions (admin). */
record UserRoutes(Auth auth, Accounts accounts, Db db, FeedbackConfig config) {


  void register(Javalin app) {
    app.post("/api/login", this::login);
    app.post("/api/logout", this::logout);
    app.get("/api/me", this::me);
    app.post("/api/me/password", this::changePassword);
    app.post("/api/users", this::createUser);
    app.get("/api/users", this::listUsers);
    app.post("/api/users/{id}/password", this::resetPassword);
    app.post("/api/users/{id}/active", this::setActive);
    app.delete("/api/users/{id}/sessions", this::endSessions);
  }

  private String address(Context ctx) { return Auth.clientAddress(ctx, config.trustProxy()); }

  private void login(Context ctx) {
    Body b = Body.of(ctx, config.maxBodyBytes());
    Accounts.Session s = accounts.login(b.text("username", 64), b.text("password", 1000), address(ctx));
    Auth.setCookie(ctx, s.token(), config.secureCookies());
    ctx.json(Body.object().put("username", s.principal().username()).put("role", s.principal().role()).put("csrfToken", s.principal().csrf()));
  }

  private void logout(Context ctx) {
    Auth.user(ctx);
    auth.logout(ctx.cookie(Auth.COOKIE));
    ctx.removeCookie(Auth.COOKIE, "/");
    ctx.json(Body.object().put("loggedOut", true));
  }

  private void me(Context ctx) {
    Auth.Principal p = Auth.user(ctx);
    ctx.json(Body.object().put("id", p.userId()).put("username", p.username()).put("role", p.role()).put("csrfToken", p.csrf()));
  }

  private void changePassword(Context ctx) {
    Auth.Principal p = Auth.user(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    int ended = accounts.changePassword(p, b.text("currentPassword", 1000), b.text("newPassword", 1000), address(ctx), ctx.cookie(Auth.COOKIE));
    ctx.json(Body.object().put("changed", true).put("otherSessionsEnded", ended));
  }

  private void createUser(Context ctx) {
    Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    long id = accounts.create(b.text("username", 64), b.text("password", 1000), b.oneOf("role", Auth.ROLES));
    ctx.status(201).json(Body.object().put("id", id));
  }

  private void listUsers(Context ctx) {
    Auth.admin(ctx);
    long now = System.currentTimeMillis();
    ctx.json(db.read(c -> Db.query(c, "SELECT u.id, u.username, u.role, u.active, u.created_at,"
        + " (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?),"
        + " (SELECT COUNT(*) FROM project_members m WHERE m.user_id = u.id) FROM users u ORDER BY u.id",
        rs -> Body.object().put("id", rs.getLong(1)).put("username", rs.getString(2)).put("role", rs.getString(3))
            .put("active", rs.getInt(4) != 0).put("createdAt", rs.getLong(5)).put("sessions", rs.getLong(6)).put("projects", rs.getLong(7)), now)));
  }

  private void resetPassword(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    int ended = accounts.resetPassword(id, Body.of(ctx, config.maxBodyBytes()).text("newPassword", 1000));
    ctx.json(Body.object().put("id", id).put("changed", true).put("sessionsEnded", ended));
  }

  private void setActive(Context ctx) {
    Auth.Principal admin = Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    boolean active = Body.of(ctx, config.maxBodyBytes()).bool("active", true);
    int ended = accounts.setActive(admin, id, active);
    ctx.json(Body.object().put("id", id).put("active", active).put("sessionsEnded", ended));
  }

  private void endSessions(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    accounts.username(id);  // 404 for no such user
    ctx.json(Body.object().put("id", id).put("sessionsEnded", auth.endSessions(id, null)));
  }
}

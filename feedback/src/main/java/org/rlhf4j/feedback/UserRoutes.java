package org.rlhf4j.feedback;

import io.javalin.Javalin;
import io.javalin.http.Context;

/** Login/logout, the current user, user creation and API tokens (admin). */
final class UserRoutes {
  private final Auth auth;
  private final FeedbackConfig config;
  private final Db db;

  UserRoutes(Auth auth, Db db, FeedbackConfig config) {
    this.auth = auth;
    this.db = db;
    this.config = config;
  }

  void register(Javalin app) {
    app.post("/api/login", this::login);
    app.post("/api/logout", this::logout);
    app.get("/api/me", this::me);
    app.post("/api/users", this::createUser);
    app.get("/api/users", this::listUsers);
    app.post("/api/tokens", this::createToken);
  }

  private void login(Context ctx) {
    Body b = Body.of(ctx, config.maxBodyBytes());
    Auth.Session s = auth.login(b.text("username", 64), b.text("password", 1000), Auth.clientAddress(ctx, config.trustProxy()));
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

  private void createUser(Context ctx) {
    Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    long id = auth.createUser(b.text("username", 64), b.text("password", 1000), b.oneOf("role", Auth.ROLES));
    ctx.status(201).json(Body.object().put("id", id));
  }

  private void listUsers(Context ctx) {
    Auth.admin(ctx);
    ctx.json(db.read(c -> Db.query(c, "SELECT id, username, role FROM users ORDER BY id",
        rs -> Body.object().put("id", rs.getLong(1)).put("username", rs.getString(2)).put("role", rs.getString(3)))));
  }

  private void createToken(Context ctx) {
    Auth.Principal admin = Auth.admin(ctx);
    String name = Body.of(ctx, config.maxBodyBytes()).text("name", 200);
    ctx.status(201).json(Body.object().put("name", name).put("token", auth.createApiToken(name, admin.userId())));
  }
}

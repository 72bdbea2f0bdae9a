package org.rlhf4j.feedback;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/**
 * API tokens for the production feedback API (admin): created with an expiry (default 90 days; shown once, stored
 * hashed), optionally bound to a project (its PII policy screens the token's feedback), listed with their state, revoked. Tokens from before expiries existed never expire until revoked.
 */
record TokenRoutes(Db db, FeedbackConfig config) {
  static final int DEFAULT_DAYS = 90;
  private static final long DAY = 86_400_000L;



  void register(Javalin app) {
    app.post("/api/tokens", this::create);
    app.get("/api/tokens", this::list);
    app.delete("/api/tokens/{id}", this::revoke);
  }

  private void create(Context ctx) {
    Auth.Principal admin = Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    String name = b.text("name", 200);
    long days = b.optInteger("expiresInDays", 1, 3650, DEFAULT_DAYS);
    Long project = b.has("projectId") ? b.integer("projectId", 1, Long.MAX_VALUE) : null;
    String token = "rlt_" + Auth.token();
    long now = System.currentTimeMillis();
    long expires = now + days * DAY;
    long id = db.write(c -> {
      if (project != null) Project.load(c, project);
      return Db.insert(c, "INSERT INTO api_tokens (token_hash, name, created_by, created_at, expires_at, project_id) VALUES (?, ?, ?, ?, ?, ?)",
          Auth.sha256(token), name, admin.userId(), now, expires, project);
    });
    ctx.status(201).json(Body.object().put("id", id).put("name", name).put("token", token).put("expiresAt", expires).put("projectId", project));
  }

  private void list(Context ctx) {
    Auth.admin(ctx);
    long now = System.currentTimeMillis();
    ctx.json(db.read(c -> Db.query(c, "SELECT t.id, t.name, u.username, t.created_at, t.expires_at, t.revoked_at, t.project_id FROM api_tokens t"
        + " JOIN users u ON u.id = t.created_by ORDER BY t.id", rs -> {
          Long expires = rs.getObject(5) == null ? null : rs.getLong(5);
          Long revoked = rs.getObject(6) == null ? null : rs.getLong(6);
          String state = revoked != null ? "revoked" : expires != null && expires <= now ? "expired" : "active";
          return Body.object().put("id", rs.getLong(1)).put("name", rs.getString(2)).put("createdBy", rs.getString(3))
              .put("createdAt", rs.getLong(4)).put("expiresAt", expires).put("revokedAt", revoked).put("state", state)
              .put("projectId", rs.getObject(7) == null ? null : rs.getLong(7));
        })));
  }

  private void revoke(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    long now = System.currentTimeMillis();
    int found = db.write(c -> {
      if (Db.count(c, "SELECT COUNT(*) FROM api_tokens WHERE id = ?", id) == 0) throw new NotFoundResponse("no API token " + id);
      return Db.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id);
    });
    ctx.json(Body.object().put("id", id).put("revoked", true).put("alreadyRevoked", found == 0));
  }
}

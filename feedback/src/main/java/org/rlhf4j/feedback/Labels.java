package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rater work: {@code GET /api/projects/{id}/next} assigns the next item ({@link Assignments}) in a random on-screen
 * order recorded per rater; {@code POST /api/labels} stores a label exactly once per idempotency key.
 */
record Labels(Db db, FeedbackConfig config) {
  private static final String KEY_PATTERN = "[A-Za-z0-9_.:-]{1,100}";



  void register(Javalin app) {
    app.get("/api/projects/{id}/next", this::next);
    app.post("/api/labels", this::submit);
  }

  private void next(Context ctx) {
    Auth.Principal who = Auth.user(ctx);
    long projectId = ProjectRoutes.id(ctx, "id");
    for (int attempt = 1; ; attempt++) {
      try {
        ObjectNode next = db.write(c -> Assignments.next(c, db.dialect() == Db.Dialect.POSTGRES, who, projectId));
        if ("true".equals(ctx.queryParam("progress")) && !next.path("done").asBoolean()) {
          next.set("progress", db.read(c -> Assignments.progress(c, projectId, who.userId())));  // after the commit: outside the lock
        }
        ctx.json(next);
        return;
      } catch (IllegalStateException e) {
        // two concurrent requests of one rater picked the same item: the loser tries again
        if (!Db.isUniqueViolation(e) || attempt == 3) throw e;
      }
    }
  }

  private void submit(Context ctx) {
    Auth.Principal who = Auth.user(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    long itemId = b.integer("itemId", 1, Long.MAX_VALUE);
    String key = b.text("idempotencyKey");
    if (!key.matches(KEY_PATTERN)) throw new BadRequestResponse("field 'idempotencyKey' must be 1-100 characters of A-Z a-z 0-9 _ . : -");
    try {
      ObjectNode ack = db.write(c -> store(c, who, b, itemId, key));
      ctx.status(ack.get("replayed").asBoolean() ? 200 : 201).json(ack);
    } catch (IllegalStateException e) {
      if (!Db.isUniqueViolation(e)) throw e;
      ObjectNode ack = db.read(c -> replay(c, who, itemId, key));  // a concurrent duplicate won the race
      if (ack == null) throw new ConflictResponse("item " + itemId + " was already labelled by you");
      ctx.status(200).json(ack);
    }
  }

  private static ObjectNode store(Connection c, Auth.Principal who, Body b, long itemId, String key) throws SQLException {
    ObjectNode replayed = replay(c, who, itemId, key);
    if (replayed != null) return replayed;
    record Assignment(long projectId, String order, boolean labelled) {}
    Assignment a = Db.queryOne(c, "SELECT project_id, display_order, labelled FROM assignments WHERE item_id = ? AND rater_id = ?",
        rs -> new Assignment(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0), itemId, who.userId());
    if (a == null) throw new ForbiddenResponse("item " + itemId + " is not assigned to you (fetch it from /api/projects/{id}/next first)");
    Project p = Project.visible(c, who, a.projectId());
    if (a.labelled()) throw new ConflictResponse("item " + itemId + " was already labelled by you");
    int k = ContentJson.parse(a.order()).size();
    TaskKind kind = p.kind();
    JsonNode value = p.validate(b, kind.field(), k);
    Integer strength = kind.strength(p, b, value);
    // the value column's name comes from TaskKind, never from input
    long id = Db.insert(c, "INSERT INTO labels (project_id, item_id, rater_id, guideline_version, " + kind.field() + ", strength, display_order,"
        + " idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id(), itemId, who.userId(), Project.guidelineVersion(c, p.id()), kind.storage().toSql(value), strength, a.order(), key,
        System.currentTimeMillis());
    Db.update(c, "UPDATE assignments SET labelled = 1 WHERE item_id = ? AND rater_id = ?", itemId, who.userId());
    return Body.object().put("labelId", id).put("itemId", itemId).put("replayed", false);
  }

  /** The original acknowledgement when this key was used before for the same item; 409 when for another item. */
  private static ObjectNode replay(Connection c, Auth.Principal who, long itemId, String key) throws SQLException {
    long[] prior = Db.queryOne(c, "SELECT id, item_id FROM labels WHERE rater_id = ? AND idempotency_key = ?",
        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, who.userId(), key);
    if (prior == null) return null;
    if (prior[1] != itemId) throw new ConflictResponse("idempotency key '" + key + "' was already used for item " + prior[1]);
    return Body.object().put("labelId", prior[0]).put("itemId", itemId).put("replayed", true);
  }
}

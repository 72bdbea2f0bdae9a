package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rater work: {@code GET /api/projects/{id}/next} assigns the next item (gold mixed in at the project's rate,
 * otherwise the most informative item that still needs ratings and that this rater has not seen) in a random
 * on-screen order recorded per rater; {@code POST /api/labels} stores a label exactly once per idempotency key.
 */
final class Labels {
  static final long ASSIGNMENT_TTL_MILLIS = 30 * 60 * 1000L;
  private static final String KEY_PATTERN = "[A-Za-z0-9_.:-]{1,100}";

  private final Db db;
  private final FeedbackConfig config;

  Labels(Db db, FeedbackConfig config) {
    this.db = db;
    this.config = config;
  }

  void register(Javalin app) {
    app.get("/api/projects/{id}/next", this::next);
    app.post("/api/labels", this::submit);
  }

  private void next(Context ctx) {
    Auth.Principal who = Auth.user(ctx);
    long projectId = ProjectRoutes.id(ctx, "id");
    for (int attempt = 1; ; attempt++) {
      try {
        ctx.json(db.write(c -> assign(c, who, projectId)));
        return;
      } catch (IllegalStateException e) {
        // two concurrent requests of one rater picked the same item: the loser tries again
        if (!Db.isUniqueViolation(e) || attempt == 3) throw e;
      }
    }
  }

  /** The rater's open assignment, else a new one (gold at the project's rate, else the most informative item). */
  private ObjectNode assign(Connection c, Auth.Principal who, long projectId) throws SQLException {
    Project p = Project.visible(c, who, projectId);
    Long open = Db.queryOne(c, "SELECT item_id FROM assignments WHERE rater_id = ? AND project_id = ? AND labelled = 0 ORDER BY id LIMIT 1",
        rs -> rs.getLong(1), who.userId(), projectId);
    if (open != null) return describe(c, p, open, who.userId());
    Long item = ThreadLocalRandom.current().nextDouble() < p.goldRate() ? pickGold(c, p, who.userId()) : null;
    if (item == null) item = pickRegular(c, p, who.userId(), db.dialect() == Db.Dialect.POSTGRES);
    if (item == null) return Body.object().put("done", true);
    int k = ((ArrayNode) ItemStore.load(c, item)[1]).size();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < k; i++) order.add(i);
    Collections.shuffle(order, ThreadLocalRandom.current());
    Db.update(c, "INSERT INTO assignments (item_id, rater_id, project_id, display_order, created_at) VALUES (?, ?, ?, ?, ?)",
        item, who.userId(), projectId, Body.JSON.valueToTree(order).toString(), System.currentTimeMillis());
    return describe(c, p, item, who.userId());
  }

  private static Long pickGold(Connection c, Project p, long rater) throws SQLException {
    return Db.queryOne(c, "SELECT i.id FROM items i WHERE i.project_id = ? AND i.gold IS NOT NULL"
        + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.rater_id = ?) ORDER BY i.id LIMIT 1",
        rs -> rs.getLong(1), p.id(), rater);
  }

  /**
   * The most informative item this rater has not seen that has fewer than N live assignments. SQLite runs this
   * under the process-wide write lock. PostgreSQL assigns concurrently: the chosen item row is locked
   * ({@code FOR UPDATE SKIP LOCKED}, so concurrent raters take different items) and its assignments are counted
   * again under the lock, since a competitor may have committed one after this statement's snapshot.
   */
  private static Long pickRegular(Connection c, Project p, long rater, boolean postgres) throws SQLException {
    long live = System.currentTimeMillis() - ASSIGNMENT_TTL_MILLIS;
    String sql = "SELECT i.id FROM items i WHERE i.project_id = ? AND i.gold IS NULL"
        + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.rater_id = ?)"
        + " AND (SELECT COUNT(*) FROM assignments a WHERE a.item_id = i.id AND (a.labelled = 1 OR a.created_at > ?)) < ?"
        + " ORDER BY " + ItemStore.INFORMATIVE_ORDER + " LIMIT 1" + (postgres ? " FOR UPDATE OF i SKIP LOCKED" : "");
    for (int attempt = 0; attempt < 5; attempt++) {
      Long item = Db.queryOne(c, sql, rs -> rs.getLong(1), p.id(), rater, live, p.ratingsPerItem());
      if (item == null || !postgres) return item;
      long count = Db.count(c, "SELECT COUNT(*) FROM assignments WHERE item_id = ? AND (labelled = 1 OR created_at > ?)", item, live);
      if (count < p.ratingsPerItem()) return item;
    }
    return null;
  }

  /** The item as this rater sees it: responses in the rater's recorded order, each with its stable index. */
  private static ObjectNode describe(Connection c, Project p, long itemId, long rater) throws SQLException {
    JsonNode[] item = ItemStore.load(c, itemId);
    String orderJson = Db.queryOne(c, "SELECT display_order FROM assignments WHERE item_id = ? AND rater_id = ?", rs -> rs.getString(1), itemId, rater);
    ObjectNode o = Body.object();
    o.put("itemId", itemId).put("kind", p.kind().id()).put("labelField", p.kind().field()).put("allowTie", p.allowTie())
        .put("strengthLevels", p.strengthLevels());
    o.put("guidelinesVersion", Project.guidelineVersion(c, p.id()));
    o.set("prompt", item[0]);
    ArrayNode shown = o.putArray("responses");
    for (JsonNode idx : ContentJson.parse(orderJson)) {
      shown.addObject().put("index", idx.asInt()).set("content", item[1].get(idx.asInt()));
    }
    return o;
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

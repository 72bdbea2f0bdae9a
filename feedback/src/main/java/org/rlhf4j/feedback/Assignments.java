package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.ServiceUnavailableResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which item a rater labels next. A rater's open assignment comes first; else, with probability {@code goldRate},
 * an unseen gold item; else the most informative item this rater has not seen that has fewer than N live
 * assignments; else (when the project mixes in gold) any unseen gold item. {@code {"done": true}} only when none
 * of these exists.
 *
 * <p>SQLite assigns under the process-wide write lock ({@code BEGIN IMMEDIATE}), so what it reads is current.
 * PostgreSQL assigns concurrently, and a statement under READ COMMITTED sees the assignments committed before it
 * began: the chosen item row is locked ({@code FOR NO KEY UPDATE}, which label inserts' foreign-key checks do not
 * conflict with) and its assignments are counted again under the lock. An item a competitor filled meanwhile is
 * released (savepoint) and the search goes on: each such loss means a competitor committed, and the next statement
 * sees that item as full, so the search ends. Items being assigned by others are first skipped
 * ({@code SKIP LOCKED}, so concurrent raters take different items); when every candidate is locked, the search
 * waits for them instead of concluding that none is left.
 */
final class Assignments {
  static final long TTL_MILLIS = 30 * 60 * 1000L;
  /** A bound that only a pathological workload reaches: answer 503 (retry) rather than a wrong "done". */
  private static final int MAX_LOST_RACES = 1000;

  private Assignments() {}

  /** The rater's open assignment, else a new one; {@code {"done": true}} when nothing is left for this rater. */
  static ObjectNode next(Connection c, boolean postgres, Auth.Principal who, long projectId) throws SQLException {
    Project p = Project.visible(c, who, projectId);
    long rater = who.userId();
    Long open = Db.queryOne(c, "SELECT item_id FROM assignments WHERE rater_id = ? AND project_id = ? AND labelled = 0 ORDER BY id LIMIT 1",
        rs -> rs.getLong(1), rater, projectId);
    if (open != null) return describe(c, p, open, rater);
    boolean goldFirst = ThreadLocalRandom.current().nextDouble() < p.goldRate();
    Long item = goldFirst ? pickGold(c, p, rater) : null;
    if (item == null) item = pickRegular(c, p, rater, postgres);
    if (item == null && !goldFirst && p.goldRate() > 0) item = pickGold(c, p, rater);
    if (item == null) return Body.object().put("done", true);
    int k = ((ArrayNode) ItemStore.load(c, item)[1]).size();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < k; i++) order.add(i);
    Collections.shuffle(order, ThreadLocalRandom.current());
    Db.update(c, "INSERT INTO assignments (item_id, rater_id, project_id, display_order, created_at) VALUES (?, ?, ?, ?, ?)",
        item, rater, projectId, Body.JSON.valueToTree(order).toString(), System.currentTimeMillis());
    return describe(c, p, item, rater);
  }

  /** Gold items have no cap: every rater may label each once. */
  private static Long pickGold(Connection c, Project p, long rater) throws SQLException {
    return Db.queryOne(c, "SELECT i.id FROM items i WHERE i.project_id = ? AND i.gold IS NOT NULL"
        + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.rater_id = ?) ORDER BY i.id LIMIT 1",
        rs -> rs.getLong(1), p.id(), rater);
  }

  private static final String CANDIDATE = "SELECT i.id FROM items i WHERE i.project_id = ? AND i.gold IS NULL"
      + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.rater_id = ?)"
      + " AND (SELECT COUNT(*) FROM assignments a WHERE a.item_id = i.id AND (a.labelled = 1 OR a.created_at > ?)) < ?"
      + " ORDER BY " + ItemStore.INFORMATIVE_ORDER + " LIMIT 1";

  /** The most informative unseen item with fewer than N live assignments (see the class comment for PostgreSQL). */
  private static Long pickRegular(Connection c, Project p, long rater, boolean postgres) throws SQLException {
    long live = System.currentTimeMillis() - TTL_MILLIS;
    Object[] args = {p.id(), rater, live, p.ratingsPerItem()};
    if (!postgres) return Db.queryOne(c, CANDIDATE, rs -> rs.getLong(1), args);
    for (int lost = 0; lost < MAX_LOST_RACES; lost++) {
      Savepoint attempt = c.setSavepoint();
      Long item = Db.queryOne(c, CANDIDATE + " FOR NO KEY UPDATE OF i SKIP LOCKED", rs -> rs.getLong(1), args);
      if (item == null) item = Db.queryOne(c, CANDIDATE + " FOR NO KEY UPDATE OF i", rs -> rs.getLong(1), args);  // wait for locked ones
      if (item == null || liveAssignments(c, item, live) < p.ratingsPerItem()) {
        c.releaseSavepoint(attempt);
        return item;
      }
      c.rollback(attempt);  // a competitor filled it after this statement's snapshot: release it and search again
    }
    throw new ServiceUnavailableResponse("could not assign an item under heavy contention; try again");
  }

  /**
   * Where the rater stands, for "item n of m": {@code position} = labels given + 1, {@code total} = that plus the
   * items still open to the rater besides the current one (fewer later when other raters fill them first).
   */
  static ObjectNode progress(Connection c, long projectId, long rater) throws SQLException {
    Project p = Project.load(c, projectId);
    long live = System.currentTimeMillis() - TTL_MILLIS;
    long labelled = Db.count(c, "SELECT COUNT(*) FROM labels WHERE project_id = ? AND rater_id = ?", projectId, rater);
    long regular = Db.count(c, CANDIDATE.replace("SELECT i.id", "SELECT COUNT(*)").replace(" ORDER BY " + ItemStore.INFORMATIVE_ORDER + " LIMIT 1", ""),
        projectId, rater, live, p.ratingsPerItem());
    long gold = p.goldRate() == 0 ? 0 : Db.count(c, "SELECT COUNT(*) FROM items i WHERE i.project_id = ? AND i.gold IS NOT NULL"
        + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.rater_id = ?)", projectId, rater);
    return Body.object().put("position", labelled + 1).put("total", labelled + 1 + regular + gold);
  }

  private static long liveAssignments(Connection c, long item, long live) throws SQLException {
    return Db.count(c, "SELECT COUNT(*) FROM assignments WHERE item_id = ? AND (labelled = 1 OR created_at > ?)", item, live);
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
}

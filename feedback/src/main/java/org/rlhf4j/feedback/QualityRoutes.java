package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Admin quality views: the quality report, the adjudication queue, and recording an adjudicated label. */
record QualityRoutes(Db db, FeedbackConfig config) {


  void register(Javalin app) {
    app.get("/api/projects/{id}/quality", this::quality);
    app.get("/api/projects/{id}/adjudication", this::queue);
    app.post("/api/projects/{id}/items/{item}/adjudicate", this::adjudicate);
  }

  static double param(Context ctx, String name, double fallback, double min, double max) {
    String s = ctx.queryParam(name);
    if (s == null) return fallback;
    try {
      double v = Double.parseDouble(s);
      if (!(v >= min && v <= max)) throw new BadRequestResponse("query parameter '" + name + "' must be in [" + min + ", " + max + "]");
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("query parameter '" + name + "' must be a number");
    }
  }

  private void quality(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    int window = (int) param(ctx, "driftWindow", 5, 1, 1000);
    double drop = param(ctx, "driftDrop", 0.3, 0.01, 1);
    ctx.json(db.read(c -> new Quality(LabelRows.load(c, Project.load(c, id))).report(window, drop)));
  }

  private void queue(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    double threshold = param(ctx, "threshold", 0.67, 0, 1);
    ctx.json(db.read(c -> queue(c, Project.load(c, id), threshold)));
  }

  /** Non-gold items with at least two labels whose consensus is below the threshold and that have no adjudication. */
  private static ArrayNode queue(Connection c, Project p, double threshold) throws SQLException {
    LabelRows rows = LabelRows.load(c, p);
    Quality q = new Quality(rows);
    Set<Long> done = new HashSet<>(Db.query(c, "SELECT a.item_id FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = ?",
        rs -> rs.getLong(1), p.id()));
    ArrayNode out = Body.JSON.createArrayNode();
    for (Map.Entry<Long, List<LabelRows.Row>> e : LabelRows.byItem(rows.regular()).entrySet()) {
      if (e.getValue().size() < 2 || done.contains(e.getKey())) continue;
      double consensus = q.consensus(e.getValue());
      if (consensus >= threshold) continue;
      JsonNode[] item = ItemStore.load(c, e.getKey());
      ObjectNode o = out.addObject().put("itemId", e.getKey()).put("consensus", consensus);
      o.set("prompt", item[0]);
      o.set("responses", item[1]);
      ArrayNode ls = o.putArray("labels");
      for (LabelRows.Row r : e.getValue()) ls.addObject().put("rater", r.rater()).set("value", r.value());
    }
    return out;
  }

  private void adjudicate(Context ctx) {
    Auth.Principal admin = Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    long itemId = ProjectRoutes.id(ctx, "item");
    Body b = Body.of(ctx, config.maxBodyBytes());
    String note = b.optText("note", "");
    if (note.length() > 10_000) throw new BadRequestResponse("field 'note' is longer than 10000 characters");
    db.write(c -> {
      Project p = Project.load(c, id);
      JsonNode[] item = Db.count(c, "SELECT COUNT(*) FROM items WHERE id = ? AND project_id = ?", itemId, id) == 0 ? null : ItemStore.load(c, itemId);
      if (item == null) throw new NotFoundResponse("no item " + itemId + " in project " + id);
      TaskKind kind = p.kind();
      JsonNode value = p.validate(b, kind.field(), item[1].size());
      Db.update(c, "DELETE FROM adjudications WHERE item_id = ?", itemId);
      // the value column's name comes from TaskKind, never from input
      Db.update(c, "INSERT INTO adjudications (item_id, admin_id, " + kind.field() + ", note, created_at) VALUES (?, ?, ?, ?, ?)",
          itemId, admin.userId(), kind.storage().toSql(value), note, System.currentTimeMillis());
      return null;
    });
    ctx.status(201).json(Body.object().put("itemId", itemId).put("adjudicated", true));
  }
}

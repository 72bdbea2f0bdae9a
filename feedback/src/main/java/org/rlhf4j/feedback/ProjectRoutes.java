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
import java.util.List;

/** Projects, guidelines, membership, items and uncertainty scores (admin), and project views for raters. */
final class ProjectRoutes {
  private final Db db;
  private final FeedbackConfig config;
  private final ItemStore items;

  ProjectRoutes(Db db, FeedbackConfig config) {
    this.db = db;
    this.config = config;
    this.items = new ItemStore(db);
  }

  void register(Javalin app) {
    app.post("/api/projects", this::create);
    app.get("/api/projects", this::list);
    app.get("/api/projects/{id}", this::show);
    app.post("/api/projects/{id}/guidelines", this::addGuidelines);
    app.post("/api/projects/{id}/members", this::addMember);
    app.get("/api/projects/{id}/members", this::members);
    app.delete("/api/projects/{id}/members/{username}", this::removeMember);
    app.post("/api/projects/{id}/items", this::addItems);
    app.post("/api/projects/{id}/import", this::importFile);
    app.post("/api/projects/{id}/uncertainty", this::setUncertainty);
    app.get("/api/projects/{id}/informative", this::informative);
    app.get("/api/task-kinds", this::kinds);
  }

  /** The task kinds a project may have, with what the UI needs to offer them. */
  private void kinds(Context ctx) {
    Auth.user(ctx);
    ArrayNode out = Body.JSON.createArrayNode();
    for (TaskKind k : TaskKind.values()) {
      out.addObject().put("kind", k.id()).put("description", k.description()).put("labelField", k.field())
          .put("minResponses", k.minResponses()).put("maxResponses", k.maxResponses()).set("exportFormats", Body.JSON.valueToTree(k.exportFormats()));
    }
    ctx.json(out);
  }

  static long id(Context ctx, String param) {
    try {
      return Long.parseLong(ctx.pathParam(param));
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("path parameter '" + param + "' must be an integer");
    }
  }

  private void create(Context ctx) {
    Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    String name = b.text("name", 200);
    String kind = b.oneOf("kind", TaskKind.ids());
    long n = b.optInteger("ratingsPerItem", 1, 1000, 3);
    double gold = b.has("goldRate") ? b.number("goldRate", 0, 1) : 0.1;
    boolean tie = b.bool("allowTie", true);
    long strength = b.optInteger("strengthLevels", 0, 3, 0);
    String guidelines = b.optText("guidelines", "");
    PiiSettings pii = PiiSettings.from(b, new PiiSettings("off", "mask", null));
    long id = db.write(c -> {
      long pid = Db.insert(c, "INSERT INTO projects (name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          name, kind, n, gold, tie ? 1 : 0, strength, System.currentTimeMillis());
      if (!guidelines.isBlank()) insertGuidelines(c, pid, guidelines);
      pii.save(c, pid);
      return pid;
    });
    ctx.status(201).json(Body.object().put("id", id));
  }

  private void list(Context ctx) {
    Auth.Principal who = Auth.user(ctx);
    String sql = "SELECT id FROM projects" + (who.admin() ? "" : " WHERE id IN (SELECT project_id FROM project_members WHERE user_id = ?)") + " ORDER BY id";
    ArrayNode out = db.read(c -> {
      ArrayNode a = Body.JSON.createArrayNode();
      List<Long> ids = who.admin() ? Db.query(c, sql, rs -> rs.getLong(1)) : Db.query(c, sql, rs -> rs.getLong(1), who.userId());
      for (long id : ids) a.add(describe(c, Project.load(c, id), who.admin()));
      return a;
    });
    ctx.json(out);
  }

  private void show(Context ctx) {
    Auth.Principal who = Auth.user(ctx);
    long id = id(ctx, "id");
    ctx.json(db.read(c -> describe(c, Project.visible(c, who, id), who.admin())));
  }

  /** The project as JSON; for admins with its counts of items, gold items, labelled items, labels and members. */
  static ObjectNode describe(Connection c, Project p, boolean counts) throws SQLException {
    ObjectNode o = Body.JSON.valueToTree(p);
    o.put("labelField", p.kind().field());
    o.set("exportFormats", Body.JSON.valueToTree(p.kind().exportFormats()));
    int version = Project.guidelineVersion(c, p.id());
    o.put("guidelinesVersion", version);
    PiiSettings pii = PiiSettings.load(c, p.id());
    o.put("piiAction", pii.action()).put("piiMode", pii.mode());
    o.put("guidelines", version == 0 ? "" : Db.queryOne(c, "SELECT body FROM guidelines WHERE project_id = ? AND version = ?",
        rs -> rs.getString(1), p.id(), version));
    if (counts) {
      o.putObject("counts").put("items", Db.count(c, "SELECT COUNT(*) FROM items WHERE project_id = ?", p.id()))
          .put("goldItems", Db.count(c, "SELECT COUNT(*) FROM items WHERE project_id = ? AND gold IS NOT NULL", p.id()))
          .put("labelledItems", Db.count(c, "SELECT COUNT(DISTINCT item_id) FROM labels WHERE project_id = ?", p.id()))
          .put("labels", Db.count(c, "SELECT COUNT(*) FROM labels WHERE project_id = ?", p.id()))
          .put("members", Db.count(c, "SELECT COUNT(*) FROM project_members WHERE project_id = ?", p.id()));
      o.set("piiFindings", PiiRoutes.totals(c, p.id()));
    }
    return o;
  }

  private void members(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    ctx.json(db.read(c -> {
      Project.load(c, id);
      return Db.query(c, "SELECT u.username, u.role, u.active, (SELECT COUNT(*) FROM labels l WHERE l.project_id = m.project_id AND l.rater_id = u.id)"
          + " FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.username",
          rs -> Body.object().put("username", rs.getString(1)).put("role", rs.getString(2)).put("active", rs.getInt(3) != 0).put("labels", rs.getLong(4)), id);
    }));
  }

  /** Removes a member; their unlabelled assignments in the project are released for others. */
  private void removeMember(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    String username = ctx.pathParam("username");
    int released = db.write(c -> {
      Project.load(c, id);
      Long uid = Db.queryOne(c, "SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username);
      if (uid == null || Db.update(c, "DELETE FROM project_members WHERE project_id = ? AND user_id = ?", id, uid) == 0) {
        throw new NotFoundResponse("'" + username + "' is not a member of project " + id);
      }
      return Db.update(c, "DELETE FROM assignments WHERE project_id = ? AND rater_id = ? AND labelled = 0", id, uid);
    });
    ctx.json(Body.object().put("project", id).put("removed", username).put("assignmentsReleased", released));
  }

  private static int insertGuidelines(Connection c, long projectId, String text) throws SQLException {
    int version = Project.guidelineVersion(c, projectId) + 1;
    Db.update(c, "INSERT INTO guidelines (project_id, version, body, created_at) VALUES (?, ?, ?, ?)", projectId, version, text, System.currentTimeMillis());
    return version;
  }

  private void addGuidelines(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    String text = Body.of(ctx, config.maxBodyBytes()).text("body", 200_000);
    int version = db.write(c -> {
      Project.load(c, id);
      return insertGuidelines(c, id, text);
    });
    ctx.status(201).json(Body.object().put("version", version));
  }

  private void addMember(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    String username = Body.of(ctx, config.maxBodyBytes()).text("username", 64);
    db.write(c -> {
      Project.load(c, id);
      Long uid = Db.queryOne(c, "SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username);
      if (uid == null) throw new NotFoundResponse("no user '" + username + "'");
      if (Db.count(c, "SELECT COUNT(*) FROM project_members WHERE project_id = ? AND user_id = ?", id, uid) == 0) {
        Db.update(c, "INSERT INTO project_members (project_id, user_id) VALUES (?, ?)", id, uid);
      }
      return null;
    });
    ctx.status(201).json(Body.object().put("project", id).put("username", username));
  }

  private void addItems(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    Body b = Body.of(ctx, config.maxImportBytes());
    List<Body> list = b.objects("items");
    ItemStore.Stored stored = items.addJson(id, list);
    ctx.status(201).json(stored(stored));
  }

  private void importFile(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    String format = ctx.queryParam("format");
    boolean gold = "true".equals(ctx.queryParam("gold"));
    byte[] raw = Body.bytes(ctx, config.maxImportBytes());
    ItemStore.Stored stored = items.importJsonl(id, format, gold, raw);
    ctx.status(201).json(stored(stored));
  }

  /** {"ids": [...], "pii": {"policy", "flagged", "redacted", "dropped", "rejected"}}. */
  private static ObjectNode stored(ItemStore.Stored s) {
    ObjectNode o = Body.object();
    o.set("ids", Body.JSON.valueToTree(s.ids()));
    o.set("pii", s.pii());
    return o;
  }

  private void setUncertainty(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    List<Body> scores = Body.of(ctx, config.maxImportBytes()).objects("scores");
    int updated = db.write(c -> {
      Project.load(c, id);
      int n = 0;
      for (Body s : scores) {
        long item = s.integer("itemId", 1, Long.MAX_VALUE);
        double score = s.number("score", -1e12, 1e12);
        if (Db.update(c, "UPDATE items SET uncertainty = ?, scored = 1 WHERE id = ? AND project_id = ?", score, item, id) == 0) {
          throw new NotFoundResponse("no item " + item + " in project " + id);
        }
        n++;
      }
      return n;
    });
    ctx.json(Body.object().put("updated", updated));
  }

  private void informative(Context ctx) {
    Auth.admin(ctx);
    long id = id(ctx, "id");
    int limit = parseLimit(ctx.queryParam("limit"));
    ctx.json(db.read(c -> {
      Project.load(c, id);
      ArrayNode a = Body.JSON.createArrayNode();
      for (JsonNode n : Db.query(c, "SELECT i.id, i.uncertainty FROM items i WHERE i.project_id = ? AND i.gold IS NULL"
          + " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id) ORDER BY " + ItemStore.INFORMATIVE_ORDER + " LIMIT ?",
          rs -> Body.object().put("itemId", rs.getLong(1)).put("uncertainty", rs.getObject(2) == null ? null : rs.getDouble(2)), id, limit)) {
        a.add(n);
      }
      return a;
    }));
  }

  /** A positive integer query parameter; 400 naming it otherwise. */
  static long longParam(Context ctx, String name) {
    try {
      long v = Long.parseLong(ctx.queryParam(name));
      if (v < 1) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("query parameter '" + name + "' must be a positive integer");
    }
  }

  static int parseLimit(String s) {
    if (s == null) return 20;
    try {
      int n = Integer.parseInt(s);
      if (n < 1 || n > 1000) throw new BadRequestResponse("limit must be in [1, 1000]");
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("limit must be an integer");
    }
  }
}

package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A project's PII policy (admin: {@code POST /api/projects/{id}/pii {piiAction, piiMode}}) and what screening found
 * ({@code GET /api/projects/{id}/pii}; {@code GET /api/production/pii} for feedback through tokens bound to no
 * project): counts by source, type and verdict, never the values.
 */
record PiiRoutes(Db db, FeedbackConfig config) {

  void register(Javalin app) {
    app.post("/api/projects/{id}/pii", this::set);
    app.get("/api/projects/{id}/pii", this::show);
    app.get("/api/production/pii", this::unbound);
  }

  private void set(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    Body b = Body.of(ctx, config.maxBodyBytes());
    PiiSettings s = db.write(c -> {
      PiiSettings next = PiiSettings.from(b, PiiSettings.load(c, id));
      next.save(c, id);
      return next;
    });
    ctx.json(Body.object().put("project", id).put("piiAction", s.action()).put("piiMode", s.mode()));
  }

  private void show(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    ctx.json(db.read(c -> {
      PiiSettings s = PiiSettings.load(c, id);
      ObjectNode o = Body.object().put("project", id).put("piiAction", s.action()).put("piiMode", s.mode());
      o.set("totals", totals(c, id));
      o.set("findings", findings(c, id));
      return o;
    }));
  }

  private void unbound(Context ctx) {
    Auth.admin(ctx);
    ctx.json(db.read(c -> {
      ObjectNode o = Body.object().put("piiAction", PiiSettings.UNBOUND.action());
      o.set("totals", totals(c, null));
      o.set("findings", findings(c, null));
      return o;
    }));
  }

  private static String where(Long projectId) { return projectId == null ? "project_id IS NULL" : "project_id = ?"; }

  private static Object[] params(Long projectId) { return projectId == null ? new Object[0] : new Object[] {projectId}; }

  /** {TYPE: number of findings} over every source and verdict. */
  static ObjectNode totals(Connection c, Long projectId) throws SQLException {
    ObjectNode o = Body.object();
    Db.query(c, "SELECT pii_type, SUM(findings) FROM pii_findings WHERE " + where(projectId) + " GROUP BY pii_type ORDER BY pii_type",
        rs -> o.put(rs.getString(1), rs.getLong(2)), params(projectId));
    return o;
  }

  /** [{source, type, verdict, findings, records}] summed over time. */
  static ArrayNode findings(Connection c, Long projectId) throws SQLException {
    ArrayNode a = Body.JSON.createArrayNode();
    Db.query(c, "SELECT source, pii_type, verdict, SUM(findings), SUM(records), MAX(created_at) FROM pii_findings WHERE " + where(projectId)
        + " GROUP BY source, pii_type, verdict ORDER BY source, pii_type, verdict",
        rs -> a.addObject().put("source", rs.getString(1)).put("type", rs.getString(2)).put("verdict", rs.getString(3))
            .put("findings", rs.getLong(4)).put("records", rs.getLong(5)).put("lastAt", rs.getLong(6)), params(projectId));
    return a;
  }
}

package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import java.sql.Connection;
import java.sql.SQLException;

/** A labelling project: the task kind and how many ratings each item gets; guidelines are versioned separately. */
record Project(long id, String name, TaskKind kind, int ratingsPerItem, double goldRate, boolean allowTie, int strengthLevels) {

  static Project load(Connection c, long id) throws SQLException {
    Project p = Db.queryOne(c, "SELECT id, name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels FROM projects WHERE id = ?",
        rs -> new Project(rs.getLong(1), rs.getString(2), TaskKind.of(rs.getString(3)), rs.getInt(4), rs.getDouble(5), rs.getInt(6) != 0, rs.getInt(7)), id);
    if (p == null) throw new NotFoundResponse("no project " + id);
    return p;
  }

  /** Loads the project when the caller may see it: admins see all, raters only projects they are members of. */
  static Project visible(Connection c, Auth.Principal who, long id) throws SQLException {
    if (!who.admin() && Db.count(c, "SELECT COUNT(*) FROM project_members WHERE project_id = ? AND user_id = ?", id, who.userId()) == 0) {
      throw new ForbiddenResponse("you are not a member of project " + id);
    }
    return load(c, id);
  }

  /** The current guidelines version number (0 when none were written). */
  static int guidelineVersion(Connection c, long projectId) throws SQLException {
    return (int) Db.count(c, "SELECT COALESCE(MAX(version), 0) FROM guidelines WHERE project_id = ?", projectId);
  }

  /** Validates a label value (or gold answer, or adjudication) in {@code field} for this project's kind and {@code k} responses. */
  JsonNode validate(Body b, String field, int k) { return kind.validate(this, b, field, k); }
}

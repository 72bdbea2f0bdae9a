package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.privacy.dp.RandomizedResponse;

/**
 * Production thumbs randomised on the client (local DP, Warner's randomised response at the ε the client states in
 * {@code randomizedResponse.epsilon}): the server never sees a true vote, so estimating the rate spends no central
 * budget. Rows are grouped by ε and each group gets the unbiased estimator (λ̂ − (1 − p)) / (2p − 1) with its
 * standard error ({@link RandomizedResponse#estimate}); the estimate is not clamped, so it stays unbiased.
 */
final class LocalThumbs {
  private LocalThumbs() {}

  /** The largest ε a client may state (truth with probability 1 − 2e-9: no privacy left to speak of beyond it). */
  static final double MAX_EPSILON = 20;

  /** One figure per ε used by the project's (or unbound tokens') randomised rows. */
  static List<ObjectNode> estimates(Connection c, Long project) throws SQLException {
    String where = project == null ? "project_id IS NULL" : "project_id = ?";
    Object[] params = project == null ? new Object[0] : new Object[] {project};
    record Group(double epsilon, long n, long ups) {}
    List<ObjectNode> out = new ArrayList<>();
    for (Group g : Db.query(c, "SELECT rr_epsilon, COUNT(*), SUM(CASE WHEN thumb = 'up' THEN 1 ELSE 0 END) FROM production_feedback WHERE "
        + where + " AND rr_epsilon IS NOT NULL GROUP BY rr_epsilon ORDER BY rr_epsilon", rs -> new Group(rs.getDouble(1), rs.getLong(2), rs.getLong(3)), params)) {
      out.add(figure(g.epsilon(), g.ups(), g.n()));
    }
    return out;
  }

  /** The server's estimate from {@code reportedUps} of {@code n} thumbs randomised at {@code epsilon}. */
  static RandomizedResponse.Estimate estimate(double epsilon, long reportedUps, long n) {
    return new RandomizedResponse(epsilon).estimate(reportedUps, n);
  }

  /** The estimate as a figure beside the central ones: value, ε (local), its standard error, n, reported ups. */
  static ObjectNode figure(double epsilon, long reportedUps, long n) {
    RandomizedResponse.Estimate e = estimate(epsilon, reportedUps, n);
    return Body.object().put("name", "thumbs-up rate (local DP: randomised response)").put("value", e.rate()).put("epsilon", epsilon)
        .put("delta", 0.0).put("standard_error", e.standardError()).put("n", n).put("reported_ups", reportedUps).put("local", true);
  }
}

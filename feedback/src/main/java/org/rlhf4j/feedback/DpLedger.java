package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import org.rlhf4j.privacy.dp.BudgetExceededException;
import org.rlhf4j.privacy.dp.DpStatistics;
import org.rlhf4j.privacy.dp.PrivacyCost;
import org.rlhf4j.privacy.dp.PrivacyLedger;
import org.rlhf4j.privacy.dp.SecureNoise;

/**
 * The privacy ledger of the service's datasets, persisted in {@code privacy_budgets} / {@code privacy_charges}. A
 * release runs inside the caller's write transaction over the privacy module's {@link PrivacyLedger} (loaded with
 * what remains of the dataset's budget) and {@link DpStatistics}; a release over budget throws
 * {@link BudgetExceededException} and the transaction rolls back, so nothing is released or charged. On PostgreSQL
 * the budget row is locked ({@code FOR UPDATE}) so concurrent releases cannot overspend; SQLite serialises writes.
 */
final class DpLedger {
  @FunctionalInterface interface Release<T> { T run(DpStatistics stats) throws SQLException; }

  private final SecureNoise noise;

  DpLedger(SecureNoise noise) { this.noise = noise; }

  static String dataset(Long projectId) { return projectId == null ? "production" : "project:" + projectId; }

  static PrivacyCost budget(Connection c, Db.Dialect dialect, String dataset, boolean lock) throws SQLException {
    return Db.queryOne(c, "SELECT epsilon, delta FROM privacy_budgets WHERE dataset = ?" + (lock && dialect == Db.Dialect.POSTGRES ? " FOR UPDATE" : ""),
        rs -> new PrivacyCost(rs.getDouble(1), rs.getDouble(2)), dataset);
  }

  static PrivacyCost spent(Connection c, String dataset) throws SQLException {
    return Db.queryOne(c, "SELECT COALESCE(SUM(epsilon), 0), COALESCE(SUM(delta), 0) FROM privacy_charges WHERE dataset = ?",
        rs -> new PrivacyCost(rs.getDouble(1), Math.min(rs.getDouble(2), Math.nextDown(1.0))), dataset);
  }

  static void setBudget(Connection c, String dataset, PrivacyCost b) throws SQLException {
    long now = System.currentTimeMillis();
    if (Db.update(c, "UPDATE privacy_budgets SET epsilon = ?, delta = ?, updated_at = ? WHERE dataset = ?", b.epsilon(), b.delta(), now, dataset) == 0) {
      Db.update(c, "INSERT INTO privacy_budgets (dataset, epsilon, delta, updated_at) VALUES (?, ?, ?, ?)", dataset, b.epsilon(), b.delta(), now);
    }
  }

  /** Runs {@code release} against what remains of the budget and records its total cost as one charge named {@code query}. */
  <T> T charge(Connection c, Db.Dialect dialect, String dataset, String query, long userId, Release<T> release) throws SQLException {
    PrivacyCost budget = budget(c, dialect, dataset, true);
    if (budget == null) {
      throw new BudgetExceededException("'" + dataset + "' has no privacy budget: an admin sets one first (POST .../dp/budget {\"epsilon\": E})");
    }
    PrivacyCost spent = spent(c, dataset);
    PrivacyLedger ledger = PrivacyLedger.inMemory();
    ledger.setBudget(dataset, new PrivacyCost(Math.max(0, budget.epsilon() - spent.epsilon()), Math.max(0, budget.delta() - spent.delta())));
    T out = release.run(new DpStatistics(ledger, dataset, noise));
    PrivacyCost cost = ledger.spent(dataset);
    Db.update(c, "INSERT INTO privacy_charges (dataset, query, epsilon, delta, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        dataset, query, cost.epsilon(), cost.delta(), userId, System.currentTimeMillis());
    return out;
  }

  /** {dataset, budget, spent, remaining, charges: [{query, epsilon, delta, by, at}]}. */
  static ObjectNode describe(Connection c, Db.Dialect dialect, String dataset) throws SQLException {
    PrivacyCost budget = budget(c, dialect, dataset, false);
    PrivacyCost spent = spent(c, dataset);
    ObjectNode o = Body.object().put("dataset", dataset);
    if (budget == null) o.putNull("budget").putNull("remaining");
    else {
      o.putObject("budget").put("epsilon", budget.epsilon()).put("delta", budget.delta());
      o.putObject("remaining").put("epsilon", Math.max(0, budget.epsilon() - spent.epsilon())).put("delta", Math.max(0, budget.delta() - spent.delta()));
    }
    o.putObject("spent").put("epsilon", spent.epsilon()).put("delta", spent.delta());
    ArrayNode charges = o.putArray("charges");
    Db.query(c, "SELECT p.query, p.epsilon, p.delta, u.username, p.created_at FROM privacy_charges p LEFT JOIN users u ON u.id = p.created_by"
        + " WHERE p.dataset = ? ORDER BY p.id", rs -> charges.addObject().put("query", rs.getString(1)).put("epsilon", rs.getDouble(2))
            .put("delta", rs.getDouble(3)).put("by", rs.getString(4)).put("at", rs.getLong(5)), dataset);
    return o;
  }
}

package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.privacy.dp.BudgetExceededException;
import org.rlhf4j.privacy.dp.DpFigure;
import org.rlhf4j.privacy.dp.DpStatistics;
import org.rlhf4j.privacy.dp.PrivacyCost;
import org.rlhf4j.privacy.dp.SecureNoise;

/**
 * Differentially private releases of a project's aggregate statistics (admin), each charged to the project's budget
 * in {@link DpLedger}: {@code POST /api/projects/{id}/dp {statistic, epsilon}} with {@code label-counts} (histogram
 * over the kind's fixed bins, ε for the whole histogram), {@code win-rate} (pairwise: the first-listed response's
 * share, ties half, over the labels of regular items) or {@code thumbs-up} (the project's production feedback);
 * {@code POST /api/production/dp} for feedback through tokens bound to no project. Every figure carries its ε, δ
 * and noise sd. {@code .../dp/budget {epsilon, delta?}} sets the budget, {@code GET .../dp} shows it with every
 * charge. Over budget (or no budget): 409, nothing released or charged. Thumbs randomised on the client are
 * estimated by {@link LocalThumbs} beside the central figure, free of charge (post-processing of local DP). The unit of privacy is one label / one
 * thumbs vote; the number of trials n of a rate is public (released exactly), as {@link DpStatistics#rate} assumes.
 */
final class DpRoutes {
  static final Set<String> STATISTICS = Set.of("label-counts", "win-rate", "thumbs-up");
  private final Db db;
  private final FeedbackConfig config;
  private final DpLedger ledger;

  DpRoutes(Db db, FeedbackConfig config, SecureNoise noise) {
    this.db = db;
    this.config = config;
    this.ledger = new DpLedger(noise);
  }

  void register(Javalin app) {
    app.post("/api/projects/{id}/dp", ctx -> release(ctx, ProjectRoutes.id(ctx, "id")));
    app.post("/api/production/dp", ctx -> release(ctx, null));
    app.post("/api/projects/{id}/dp/budget", ctx -> budget(ctx, ProjectRoutes.id(ctx, "id")));
    app.post("/api/production/dp/budget", ctx -> budget(ctx, null));
    app.get("/api/projects/{id}/dp", ctx -> show(ctx, ProjectRoutes.id(ctx, "id")));
    app.get("/api/production/dp", ctx -> show(ctx, null));
  }

  private void budget(Context ctx, Long project) {
    Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    PrivacyCost cost = new PrivacyCost(b.number("epsilon", 0, 1000), b.has("delta") ? b.number("delta", 0, 0.01) : 0);
    ctx.json(db.write(c -> {
      if (project != null) Project.load(c, project);
      DpLedger.setBudget(c, DpLedger.dataset(project), cost);
      return DpLedger.describe(c, db.dialect(), DpLedger.dataset(project));
    }));
  }

  private void show(Context ctx, Long project) {
    Auth.admin(ctx);
    ctx.json(db.read(c -> {
      if (project != null) Project.load(c, project);
      return DpLedger.describe(c, db.dialect(), DpLedger.dataset(project));
    }));
  }

  private void release(Context ctx, Long project) {
    Auth.Principal admin = Auth.admin(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    String statistic = b.oneOf("statistic", project == null ? Set.of("thumbs-up") : STATISTICS);
    double epsilon = b.number("epsilon", 1e-3, 100);
    String dataset = DpLedger.dataset(project);
    try {
      ctx.json(db.write(c -> {
        Project p = project == null ? null : Project.load(c, project);
        ObjectNode out = Body.object().put("statistic", statistic);
        ArrayNode figures = out.putArray("figures");
        List<ObjectNode> local = statistic.equals("thumbs-up") ? LocalThumbs.estimates(c, project) : List.of();
        if (!local.isEmpty() && centralThumbs(c, project) == 0) local.forEach(figures::add);  // post-processing of local DP: no charge
        else ledger.charge(c, db.dialect(), dataset, statistic, admin.userId(), stats -> {
          for (DpFigure f : figures(c, p, project, statistic, epsilon, stats)) figures.add(Body.JSON.valueToTree(f.asMap()));
          local.forEach(figures::add);
          return null;
        });
        out.set("ledger", DpLedger.describe(c, db.dialect(), dataset));
        return out;
      }));
    } catch (BudgetExceededException e) {
      throw new HttpResponseException(409, e.getMessage());
    }
  }

  /** Production rows with true (not randomised) thumbs. */
  private static long centralThumbs(Connection c, Long project) throws SQLException {
    return project == null ? Db.count(c, "SELECT COUNT(*) FROM production_feedback WHERE project_id IS NULL AND rr_epsilon IS NULL")
        : Db.count(c, "SELECT COUNT(*) FROM production_feedback WHERE project_id = ? AND rr_epsilon IS NULL", project);
  }

  private static List<DpFigure> figures(Connection c, Project p, Long project, String statistic, double epsilon, DpStatistics stats) throws SQLException {
    switch (statistic) {
      case "label-counts" -> {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String bin : p.kind().dpBins()) counts.put(bin, 0L);
        for (LabelRows.Row r : LabelRows.load(c, p).regular()) counts.merge(p.kind().dpBin(r.value()), 1L, Long::sum);
        return List.copyOf(stats.histogram("label counts", counts, epsilon).values());
      }
      case "win-rate" -> {
        List<LabelRows.Row> rows = LabelRows.load(c, p).regular();
        if (rows.isEmpty() || p.kind().firstWins(rows.get(0).value()) == null) {
          throw new BadRequestResponse(rows.isEmpty() ? "project " + p.id() + " has no labels yet" : "a " + p.kind().id() + " project has no win rate; use label-counts");
        }
        double wins = rows.stream().mapToDouble(r -> p.kind().firstWins(r.value())).sum();
        return List.of(stats.rate("win rate of the first response", wins, rows.size(), epsilon));
      }
      default -> {
        String where = (project == null ? "project_id IS NULL" : "project_id = ?") + " AND rr_epsilon IS NULL";
        Object[] params = project == null ? new Object[0] : new Object[] {project};
        long n = Db.count(c, "SELECT COUNT(*) FROM production_feedback WHERE " + where, params);
        long ups = Db.count(c, "SELECT COUNT(*) FROM production_feedback WHERE thumb = 'up' AND " + where, params);
        if (n == 0) throw new BadRequestResponse("no production feedback " + (project == null ? "through unbound tokens" : "for project " + project) + " yet");
        return List.of(stats.rate("thumbs-up rate", ups, n, epsilon));
      }
    }
  }
}

package org.rlhf4j.feedback;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/** {@code GET /api/projects/{id}/export?format=preferences|rankings|unpaired} with consensus and rater-quality filters. */
record ExportRoutes(Db db) {

  ExportRoutes(Db db) { this.db = db; }

  void register(Javalin app) { app.get("/api/projects/{id}/export", this::export); }

  private void export(Context ctx) {
    Auth.admin(ctx);
    long id = ProjectRoutes.id(ctx, "id");
    ProjectExport.Filter f = new ProjectExport.Filter(QualityRoutes.param(ctx, "minConsensus", 0, 0, 1),
        QualityRoutes.param(ctx, "minGoldAccuracy", 0, 0, 1), (int) QualityRoutes.param(ctx, "minLabels", 1, 1, 1000));
    String format = ctx.queryParam("format");
    if (format == null) throw new BadRequestResponse("query parameter 'format' must be preferences, rankings or unpaired");
    ProjectExport export = db.read(c -> new ProjectExport(c, Project.load(c, id), f));
    if (export.screening().foundAny()) db.write(c -> {
      export.screening().record(c, id, PiiScreening.Source.EXPORT);
      return null;
    });
    ctx.header("X-Rlhf4j-Pii", export.screening().summary().toString());
    String name = "project-" + id + "-" + format + ".jsonl";
    switch (format) {
      case "preferences" -> Jsonl.send(ctx, name, Jsonl.preferences(export.preferences()));
      case "rankings" -> Jsonl.send(ctx, name, Jsonl.rankings(export.rankings()));
      case "unpaired" -> Jsonl.send(ctx, name, Jsonl.unpaired(export.unpaired()));
      default -> throw new BadRequestResponse("query parameter 'format' must be preferences, rankings or unpaired");
    }
  }
}

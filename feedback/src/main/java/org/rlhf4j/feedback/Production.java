package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.privacy.pii.PiiPolicy;

/**
 * Feedback from deployed applications: thumbs up/down with an optional correction on a logged
 * (prompt, response), posted with an API token; exported as preference pairs (the correction preferred
 * over a thumbs-down response) or as unpaired KTO rows. A token bound to a project files its feedback under that
 * project's PII policy ({@link PiiSettings}; a token bound to none: {@link PiiSettings#UNBOUND}), and every export
 * screens each row again under its project's policy. Thumbs randomised on the client ({@link LocalThumbs}) are
 * stored flagged with their ε and left out of exports.
 */
record Production(Db db, FeedbackConfig config) {


  void register(Javalin app) {
    app.post("/api/production/feedback", this::submit);
    app.get("/api/production/export", this::export);
  }

  private void submit(Context ctx) {
    Auth.Principal token = Auth.apiToken(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    Content prompt = ContentJson.fromJson(b.get("prompt"), "prompt");
    Content response = ContentJson.fromJson(b.get("response"), "response");
    String thumb = b.oneOf("thumb", java.util.Set.of("up", "down"));
    Content correction = b.has("correction") ? ContentJson.fromJson(b.get("correction"), "correction") : null;
    Double rr = randomizedEpsilon(b, correction != null);
    String responseId = b.has("responseId") ? b.text("responseId", 200) : null;
    String key = b.has("idempotencyKey") ? b.text("idempotencyKey") : Auth.token();
    if (!key.matches("[A-Za-z0-9_.:-]{1,100}")) throw new BadRequestResponse("field 'idempotencyKey' must be 1-100 characters of A-Z a-z 0-9 _ . : -");
    Long project = PiiScreening.projectOf(db, token.tokenId());
    PiiScreening screening = new PiiScreening(project == null ? PiiSettings.UNBOUND : db.read(c -> PiiSettings.load(c, project)));
    List<Content> parts = new ArrayList<>(List.of(prompt, response));
    if (correction != null) parts.add(correction);
    PiiScreening.Result screened = screening.screenOrAnswer(db, ctx, project, "the feedback", parts);
    if (screened == null) return;
    List<Content> kept = screened.contents();
    ObjectNode ack = db.write(c -> {
      Long prior = Db.queryOne(c, "SELECT id FROM production_feedback WHERE token_id = ? AND idempotency_key = ?", rs -> rs.getLong(1), token.tokenId(), key);
      if (prior != null) return Body.object().put("id", prior).put("replayed", true);
      if (responseId != null && Db.queryOne(c, "SELECT 1 FROM production_responses WHERE response_id = ?", rs -> 1, responseId) == null) {
        throw new NotFoundResponse("no served response with id '" + responseId + "' (log it first: POST /api/production/responses)");
      }
      long id = Db.insert(c, "INSERT INTO production_feedback (token_id, prompt, response, thumb, correction, idempotency_key, created_at, project_id, rr_epsilon, response_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", token.tokenId(), ContentJson.write(kept.get(0)), ContentJson.write(kept.get(1)), thumb,
          correction == null ? null : ContentJson.write(kept.get(2)), key, System.currentTimeMillis(), project, rr, responseId);
      screening.record(c, project, PiiScreening.Source.PRODUCTION);
      return Body.object().put("id", id).put("replayed", false);
    });
    if (screening.foundAny()) ack.set("pii", screening.summary());
    ctx.status(ack.get("replayed").asBoolean() ? 200 : 201).json(ack);
  }

  /**
   * The ε of {@code "randomizedResponse": {"epsilon": E}}: the client sent its thumb through randomised response at E
   * (local DP). Such a thumb is noise by design, so it may not carry a correction (that would reveal the vote).
   */
  private static Double randomizedEpsilon(Body b, boolean corrected) {
    if (!b.has("randomizedResponse")) return null;
    if (!b.get("randomizedResponse").isObject()) throw new BadRequestResponse("field 'randomizedResponse' must be an object {\"epsilon\": E}");
    double e = Body.wrap(b.get("randomizedResponse")).number("epsilon", 1e-3, LocalThumbs.MAX_EPSILON);
    if (corrected) throw new BadRequestResponse("a randomised thumb cannot carry a 'correction' (it would reveal the true vote)");
    return e;
  }

  private record Row(Long project, Content prompt, Content response, boolean up, Content correction) {}

  /** The rows (of one project when {@code project} is given), each screened under its project's PII policy (findings recorded as exports). */
  private static List<Row> rows(Connection c, Long project) throws SQLException {
    List<Row> stored = Db.query(c, "SELECT project_id, prompt, response, thumb, correction FROM production_feedback WHERE rr_epsilon IS NULL"
        + (project == null ? "" : " AND project_id = ?") + " ORDER BY id",
        rs -> new Row(rs.getObject(1) == null ? null : rs.getLong(1), ContentJson.read(rs.getString(2)), ContentJson.read(rs.getString(3)),
            rs.getString(4).equals("up"), rs.getString(5) == null ? null : ContentJson.read(rs.getString(5))),
        project == null ? new Object[0] : new Object[] {project});
    Map<Long, PiiScreening> screens = new HashMap<>();
    PiiScreening unbound = new PiiScreening(PiiSettings.UNBOUND);
    List<Row> out = new ArrayList<>();
    for (Row r : stored) {
      PiiScreening s = r.project() == null ? unbound : screens.computeIfAbsent(r.project(), id -> new PiiScreening(load(c, id)));
      List<Content> parts = new ArrayList<>(List.of(r.prompt(), r.response()));
      if (r.correction() != null) parts.add(r.correction());
      PiiScreening.Result x = s.screen(parts);
      if (x.kept()) out.add(new Row(r.project(), x.contents().get(0), x.contents().get(1), r.up(), r.correction() == null ? null : x.contents().get(2)));
    }
    unbound.record(c, null, PiiScreening.Source.EXPORT);
    for (Map.Entry<Long, PiiScreening> e : screens.entrySet()) e.getValue().record(c, e.getKey(), PiiScreening.Source.EXPORT);
    return out;
  }

  private static PiiSettings load(Connection c, long project) {
    try {
      return PiiSettings.load(c, project);
    } catch (SQLException e) {
      throw new IllegalStateException("database error: " + e.getMessage(), e);
    }
  }

  /** Correction preferred over the response it corrects, for every thumbs-down row with a correction. */
  static List<PreferencePair> preferences(List<Row> rows) {
    List<PreferencePair> out = new ArrayList<>();
    for (Row r : rows) if (!r.up() && r.correction() != null) out.add(PreferencePair.of(r.prompt(), r.correction(), r.response()));
    return out;
  }

  /** Every response as desirable (up) or undesirable (down), plus each correction as desirable. */
  static List<UnpairedExample> unpaired(List<Row> rows) {
    List<UnpairedExample> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new UnpairedExample(r.prompt(), r.response(), r.up()));
      if (r.correction() != null) out.add(new UnpairedExample(r.prompt(), r.correction(), true));
    }
    return out;
  }

  /**
   * Unpaired rows: {@code signals=explicit} (default) the thumbs and corrections as before; {@code implicit} the weak
   * labels of {@link ImplicitFeedback}; {@code all} both, each row with a {@code source} field.
   */
  private void unpaired(Context ctx, List<Row> rows) {
    String signals = ctx.queryParamAsClass("signals", String.class).getOrDefault("explicit");
    if ("explicit".equals(signals)) {
      Jsonl.send(ctx, "production-unpaired.jsonl", Jsonl.unpaired(unpaired(rows)));
      return;
    }
    if (!"implicit".equals(signals) && !"all".equals(signals)) {
      throw new BadRequestResponse("query parameter 'signals' must be explicit, implicit or all");
    }
    List<ImplicitFeedback.Sourced> out = new ArrayList<>();
    if ("all".equals(signals)) for (UnpairedExample u : unpaired(rows)) out.add(new ImplicitFeedback.Sourced(u, "explicit"));
    out.addAll(db.read(c -> new ImplicitFeedback(db, config, config.implicit()).weakLabels(c)));
    Jsonl.send(ctx, "production-unpaired-" + signals + ".jsonl", ImplicitFeedback.jsonl(out));
  }

  private void export(Context ctx) {
    Auth.admin(ctx);
    String format = ctx.queryParam("format");
    Long project = ctx.queryParam("project") == null ? null : ProjectRoutes.longParam(ctx, "project");
    List<Row> rows = db.write(c -> rows(c, project));
    if ("preferences".equals(format)) Jsonl.send(ctx, "production-preferences.jsonl", Jsonl.preferences(preferences(rows)));
    else if ("unpaired".equals(format)) unpaired(ctx, rows);
    else throw new BadRequestResponse("query parameter 'format' must be preferences or unpaired");
  }
}

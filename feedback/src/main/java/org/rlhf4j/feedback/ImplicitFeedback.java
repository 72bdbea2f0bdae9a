package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.UnpairedExample;

/**
 * Implicit feedback on served responses: {@code POST /api/production/responses} logs a (prompt, response, model
 * version) under its response id (what serve-model sends), {@code POST /api/production/events} records an
 * interaction with it (regenerate, copy, dwell, continued, abandoned, correction), and the unpaired export
 * ({@code signals=implicit|all}) turns the events into weak labels by {@link ImplicitRules}, each row marked
 * with its {@code source}. Both posts take an API token and are idempotent on replay.
 */
record ImplicitFeedback(Db db, FeedbackConfig config, ImplicitRules rules) {
  static final Set<String> KINDS = Set.of("regenerate", "copy", "dwell", "continued", "abandoned", "correction");
  private static final String ID = "[A-Za-z0-9_.:-]{1,100}";

  void register(Javalin app) {
    app.post("/api/production/responses", this::logResponse);
    app.post("/api/production/events", this::event);
    app.get("/api/production/versions", this::versions);
  }

  /**
   * Per model version (A/B arms): responses logged, how many are desirable / undesirable — by an explicit thumb that
   * names the response ({@code responseId} on POST /api/production/feedback), else by the rules over its implicit
   * signals — the explicit thumbs among them, and the desirable rate among the labelled ({@code null} when none is
   * labelled): the numbers an A/B comparison tests. {@code ?since=EPOCH_MS} counts only responses logged from then
   * on (an A/B test's own window).
   */
  private void versions(Context ctx) {
    Auth.admin(ctx);
    long since = ctx.queryParam("since") == null ? 0 : ProjectRoutes.longParam(ctx, "since");
    ObjectNode out = Body.object();
    var list = out.putArray("versions");
    db.read(c -> {
      Map<String, List<ImplicitRules.Event>> events = events(c, null);
      Map<String, Integer> thumbs = explicitThumbs(c);
      Map<String, long[]> counts = new LinkedHashMap<>();
      Map<String, String[]> names = new LinkedHashMap<>();
      Db.query(c, "SELECT response_id, model, model_version FROM production_responses WHERE created_at >= ? ORDER BY id", rs -> {
        String key = rs.getString(2) + "\u0000" + rs.getString(3);
        names.putIfAbsent(key, new String[] {rs.getString(2), rs.getString(3)});
        long[] n = counts.computeIfAbsent(key, k -> new long[5]);
        n[0]++;
        Integer thumb = thumbs.get(rs.getString(1));
        int sign = thumb != null ? thumb : rules.label(events.getOrDefault(rs.getString(1), List.of())).sign();
        if (sign > 0) n[1]++;
        if (sign < 0) n[2]++;
        if (thumb != null) n[thumb > 0 ? 3 : 4]++;
        return null;
      }, since);
      counts.forEach((k, n) -> {
        ObjectNode v = list.addObject().put("model", names.get(k)[0]).put("modelVersion", names.get(k)[1]).put("responses", n[0])
            .put("desirable", n[1]).put("undesirable", n[2]).put("explicitUp", n[3]).put("explicitDown", n[4]);
        if (n[1] + n[2] > 0) v.put("desirableRate", (double) n[1] / (n[1] + n[2]));
        else v.putNull("desirableRate");
      });
      return null;
    });
    ctx.json(out);
  }

  /**
   * The explicit thumbs that name a served response (+1 up, -1 down; the latest wins), which take precedence over
   * its implicit signals. Thumbs sent under randomised response (local DP) are left out: one of them says little
   * about its response, and an A/B rate built from them would need the debiasing estimator.
   */
  private static Map<String, Integer> explicitThumbs(Connection c) throws java.sql.SQLException {
    Map<String, Integer> out = new java.util.HashMap<>();
    Db.query(c, "SELECT response_id, thumb FROM production_feedback WHERE response_id IS NOT NULL AND rr_epsilon IS NULL ORDER BY id", rs -> {
      out.put(rs.getString(1), "up".equals(rs.getString(2)) ? 1 : -1);
      return null;
    });
    return out;
  }

  /** The stored events per response id (and, when {@code corrections} is given, the corrected texts). */
  private static Map<String, List<ImplicitRules.Event>> events(Connection c, Map<String, List<String>> corrections)
      throws SQLException {
    Map<String, List<ImplicitRules.Event>> events = new LinkedHashMap<>();
    Db.query(c, "SELECT response_id, kind, seconds, edit_distance, correction FROM production_events ORDER BY id", rs -> {
      String id = rs.getString(1);
      double s = rs.getDouble(3);
      Double seconds = rs.wasNull() ? null : s;
      double d = rs.getDouble(4);
      Double distance = rs.wasNull() ? null : d;
      events.computeIfAbsent(id, k -> new ArrayList<>()).add(new ImplicitRules.Event(rs.getString(2), seconds, distance));
      if (corrections != null && rs.getString(5) != null) corrections.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(5));
      return null;
    });
    return events;
  }

  private void logResponse(Context ctx) {
    Auth.Principal token = Auth.apiToken(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    String id = id(b.text("responseId"), "responseId");
    Content prompt = ContentJson.fromJson(b.get("prompt"), "prompt");
    Content response = ContentJson.fromJson(b.get("response"), "response");
    String model = b.has("model") ? b.text("model", 200) : null, version = b.has("modelVersion") ? b.text("modelVersion", 200) : null;
    String user = b.has("user") ? b.text("user", 200) : null;
    Long project = PiiScreening.projectOf(db, token.tokenId());
    PiiScreening screening = PiiScreening.forToken(db, token.tokenId());
    PiiScreening.Result screened = screening.screenOrAnswer(db, ctx, project, "the response", List.of(prompt, response));
    if (screened == null) return;
    String p = ContentJson.write(screened.contents().get(0)), r = ContentJson.write(screened.contents().get(1));
    ObjectNode ack = db.write(c -> {
      List<String[]> prior = Db.query(c, "SELECT prompt, response FROM production_responses WHERE response_id = ?",
          rs -> new String[] {rs.getString(1), rs.getString(2)}, id);
      if (!prior.isEmpty()) {
        if (!prior.get(0)[0].equals(p) || !prior.get(0)[1].equals(r)) {
          throw new ConflictResponse("response id '" + id + "' is already logged with a different prompt or response");
        }
        return Body.object().put("responseId", id).put("replayed", true);
      }
      Db.insert(c, "INSERT INTO production_responses (token_id, response_id, prompt, response, model, model_version, user_ref,"
          + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token.tokenId(), id, p, r, model, version, user, System.currentTimeMillis());
      screening.record(c, project, PiiScreening.Source.PRODUCTION);
      return Body.object().put("responseId", id).put("replayed", false);
    });
    if (screening.foundAny()) ack.set("pii", screening.summary());
    ctx.status(ack.get("replayed").asBoolean() ? 200 : 201).json(ack);
  }

  private void event(Context ctx) {
    Auth.Principal token = Auth.apiToken(ctx);
    Body b = Body.of(ctx, config.maxBodyBytes());
    String id = id(b.text("responseId"), "responseId");
    String kind = b.oneOf("type", KINDS);
    String key = b.has("idempotencyKey") ? id(b.text("idempotencyKey"), "idempotencyKey") : Auth.token();
    Double seconds = switch (kind) {
      case "dwell" -> b.number("seconds", 0, 1e9);
      case "regenerate" -> b.has("afterSeconds") ? b.number("afterSeconds", 0, 1e9) : null;
      default -> null;
    };
    String raw = "correction".equals(kind) ? b.text("correction") : null;
    Long project = raw == null ? null : PiiScreening.projectOf(db, token.tokenId());
    PiiScreening screening = raw == null ? null : PiiScreening.forToken(db, token.tokenId());
    String correction = null;
    if (raw != null) { // a user's correction is production text: screened like the response it corrects
      PiiScreening.Result screened = screening.screenOrAnswer(db, ctx, project, "the correction", List.of(Content.text(raw)));
      if (screened == null) return;
      correction = screened.contents().get(0).display();
    }
    String fixed = correction;
    ObjectNode ack = db.write(c -> {
      Long prior = Db.queryOne(c, "SELECT id FROM production_events WHERE token_id = ? AND idempotency_key = ?",
          rs -> rs.getLong(1), token.tokenId(), key);
      if (prior != null) return Body.object().put("id", prior).put("replayed", true);
      String response = Db.queryOne(c, "SELECT response FROM production_responses WHERE response_id = ?", rs -> rs.getString(1), id);
      if (response == null) {
        throw new NotFoundResponse("unknown response id '" + id + "': log the response first (POST /api/production/responses)");
      }
      Double distance = fixed == null ? null : ImplicitRules.normalisedEditDistance(ContentJson.read(response).display(), fixed);
      long eid = Db.insert(c, "INSERT INTO production_events (token_id, response_id, kind, seconds, correction, edit_distance,"
          + " idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token.tokenId(), id, kind, seconds, fixed, distance,
          key, System.currentTimeMillis());
      if (screening != null) screening.record(c, project, PiiScreening.Source.PRODUCTION);
      ObjectNode out = Body.object().put("id", eid).put("replayed", false);
      if (distance != null) out.put("editDistance", distance);
      return out;
    });
    ctx.status(ack.get("replayed").asBoolean() ? 200 : 201).json(ack);
  }

  private static String id(String v, String field) {
    if (!v.matches(ID)) throw new BadRequestResponse("field '" + field + "' must be 1-100 characters of A-Z a-z 0-9 _ . : -");
    return v;
  }

  /** A weak-labelled row and its source. */
  record Sourced(UnpairedExample row, String source) {}

  /** Every logged response with a non-zero label, and (by the rules) each correction as a desirable row. */
  List<Sourced> weakLabels(Connection c) throws SQLException {
    Map<String, List<String>> corrections = new LinkedHashMap<>();
    Map<String, List<ImplicitRules.Event>> events = events(c, corrections);
    List<Sourced> out = new ArrayList<>();
    Db.query(c, "SELECT response_id, prompt, response FROM production_responses ORDER BY id", rs -> {
      String id = rs.getString(1);
      Content prompt = ContentJson.read(rs.getString(2)), response = ContentJson.read(rs.getString(3));
      ImplicitRules.Label l = rules.label(events.getOrDefault(id, List.of()));
      if (l.sign() != 0) out.add(new Sourced(new UnpairedExample(prompt, response, l.sign() > 0), l.source()));
      if (rules.correctionIsDesirable()) {
        for (String fix : corrections.getOrDefault(id, List.of())) {
          out.add(new Sourced(new UnpairedExample(prompt, Content.text(fix), true), "implicit:correction"));
        }
      }
      return null;
    });
    return out;
  }

  /** JSONL of {prompt, completion, label, source} (TRL's unpaired format plus the source). */
  static byte[] jsonl(List<Sourced> rows) {
    List<UnpairedExample> plain = rows.stream().map(Sourced::row).toList();
    String[] lines = new String(Jsonl.unpaired(plain), StandardCharsets.UTF_8).split("\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    for (String line : lines) {
      if (line.isBlank()) continue;
      try {
        ObjectNode o = (ObjectNode) Body.JSON.readTree(line);
        o.put("source", rows.get(i++).source());
        out.writeBytes((Body.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toByteArray();
  }
}

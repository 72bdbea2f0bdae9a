package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.UnpairedExample;

/**
 * Feedback from deployed applications: thumbs up/down with an optional correction on a logged
 * (prompt, response), posted with an API token; exported as preference pairs (the correction preferred
 * over a thumbs-down response) or as unpaired KTO rows.
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
    String key = b.has("idempotencyKey") ? b.text("idempotencyKey") : Auth.token();
    if (!key.matches("[A-Za-z0-9_.:-]{1,100}")) throw new BadRequestResponse("field 'idempotencyKey' must be 1-100 characters of A-Z a-z 0-9 _ . : -");
    ObjectNode ack = db.write(c -> {
      Long prior = Db.queryOne(c, "SELECT id FROM production_feedback WHERE token_id = ? AND idempotency_key = ?", rs -> rs.getLong(1), token.tokenId(), key);
      if (prior != null) return Body.object().put("id", prior).put("replayed", true);
      long id = Db.insert(c, "INSERT INTO production_feedback (token_id, prompt, response, thumb, correction, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          token.tokenId(), ContentJson.write(prompt), ContentJson.write(response), thumb, correction == null ? null : ContentJson.write(correction),
          key, System.currentTimeMillis());
      return Body.object().put("id", id).put("replayed", false);
    });
    ctx.status(ack.get("replayed").asBoolean() ? 200 : 201).json(ack);
  }

  private record Row(Content prompt, Content response, boolean up, Content correction) {}

  private static List<Row> rows(Connection c) throws SQLException {
    return Db.query(c, "SELECT prompt, response, thumb, correction FROM production_feedback ORDER BY id",
        rs -> new Row(ContentJson.read(rs.getString(1)), ContentJson.read(rs.getString(2)), rs.getString(3).equals("up"),
            rs.getString(4) == null ? null : ContentJson.read(rs.getString(4))));
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

  private void export(Context ctx) {
    Auth.admin(ctx);
    String format = ctx.queryParam("format");
    List<Row> rows = db.read(Production::rows);
    if ("preferences".equals(format)) Jsonl.send(ctx, "production-preferences.jsonl", Jsonl.preferences(preferences(rows)));
    else if ("unpaired".equals(format)) Jsonl.send(ctx, "production-unpaired.jsonl", Jsonl.unpaired(unpaired(rows)));
    else throw new BadRequestResponse("query parameter 'format' must be preferences or unpaired");
  }
}

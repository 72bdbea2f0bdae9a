package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.HttpResponseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.rlhf4j.data.Content;
import org.rlhf4j.privacy.pii.PiiPolicy;

/** Items to label: a prompt with 1..K responses, optionally a gold answer; added as JSON or imported as JSONL. */
final class ItemStore {
  /** Most informative first: highest uncertainty, items without a score after scored ones, then oldest. */
  static final String INFORMATIVE_ORDER = "i.scored DESC, i.uncertainty DESC, i.id";

  /**
   * An item before it is stored; {@code gold} is null or the JSON of the known answer, and {@code goldBestFirst}
   * says the responses are listed best first and that order is the gold answer (imports).
   */
  record NewItem(Content prompt, List<Content> responses, JsonNode gold, boolean goldBestFirst) {
    NewItem(Content prompt, List<Content> responses, JsonNode gold) { this(prompt, responses, gold, false); }
  }

  private final Db db;

  ItemStore(Db db) { this.db = db; }

  Stored addJson(long projectId, List<Body> bodies) {
    List<NewItem> list = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      Body b = bodies.get(i);
      try {
        JsonNode rs = b.get("responses");
        if (rs == null || !rs.isArray()) throw new BadRequestResponse("field 'responses' must be an array");
        List<Content> responses = new ArrayList<>();
        for (JsonNode r : rs) responses.add(ContentJson.fromJson(r, "responses"));
        list.add(new NewItem(ContentJson.fromJson(b.get("prompt"), "prompt"), responses, b.has("gold") ? b.get("gold") : null));
      } catch (HttpResponseException e) {
        throw new HttpResponseException(e.getStatus(), "items[" + i + "]: " + e.getMessage());
      }
    }
    return add(projectId, list, PiiScreening.Source.ITEMS, i -> "items[" + i + "]");
  }

  /** Imports a JSONL file in one of the training core's formats. */
  Stored importJsonl(long projectId, String format, boolean gold, byte[] raw) {
    if (format == null) throw new BadRequestResponse("query parameter 'format' must be preferences, rankings or prompt-completions");
    List<NewItem> list = new ArrayList<>();
    switch (format) {
      case "preferences" -> Jsonl.readPreferences(raw).forEach(p -> list.add(new NewItem(p.prompt(), List.of(p.chosen(), p.rejected()), null, gold)));
      case "rankings" -> Jsonl.readRankings(raw).forEach(r -> list.add(new NewItem(r.prompt(), r.bestFirst(), null, gold)));
      case "prompt-completions" -> {
        if (gold) throw new BadRequestResponse("prompt-completion imports carry no gold answer; add gold rating items as JSON");
        Jsonl.readPromptCompletions(raw).forEach(pc -> list.add(new NewItem(pc.prompt(), List.of(pc.completion()), null)));
      }
      default -> throw new BadRequestResponse("query parameter 'format' must be preferences, rankings or prompt-completions but was '" + format + "'");
    }
    List<String> places = Jsonl.recordPlaces(raw);
    return add(projectId, list, PiiScreening.Source.IMPORT, i -> i < places.size() ? places.get(i) : "upload record " + (i + 1));
  }

  /** What an import stored: the new ids in input order (null for a record the PII policy dropped) and the screening summary. */
  record Stored(List<Long> ids, ObjectNode pii) {}

  /** Stores the items in one transaction after validating all of them against the project's task kind. */
  List<Long> add(long projectId, List<NewItem> list) { return add(projectId, list, PiiScreening.Source.ITEMS, i -> "items[" + i + "]").ids(); }

  /**
   * Validates, screens under the project's PII policy and stores the items in one transaction; {@code where} names
   * record i in errors. A record the reject policy refuses is a 422 naming it, after its findings are recorded.
   */
  Stored add(long projectId, List<NewItem> list, PiiScreening.Source source, IntFunction<String> where) {
    if (list.isEmpty()) throw new BadRequestResponse("no items given");
    PiiScreening screening = new PiiScreening(db.read(c -> PiiSettings.load(c, projectId)));
    List<NewItem> screened = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      NewItem item = list.get(i);
      List<Content> parts = new ArrayList<>(List.of(item.prompt()));
      parts.addAll(item.responses());
      PiiScreening.Result r = screening.screen(parts);
      if (r.verdict() == PiiPolicy.Verdict.REJECTED) {
        db.write(c -> {
          screening.record(c, projectId, source);
          return null;
        });
        throw screening.rejection(where.apply(i), r);
      }
      screened.add(r.kept() ? new NewItem(r.contents().get(0), r.contents().subList(1, r.contents().size()), item.gold(), item.goldBestFirst()) : null);
    }
    List<Long> ids = insert(projectId, screened, screening, source);
    if (db.dialect() == Db.Dialect.POSTGRES && list.size() >= 50) {
      db.write(c -> Db.update(c, "ANALYZE items"));  // fresh statistics keep /next on the informative-order index
    }
    return new Stored(ids, screening.summary());
  }

  private List<Long> insert(long projectId, List<NewItem> list, PiiScreening screening, PiiScreening.Source source) {
    return db.write(c -> {
      Project p = Project.load(c, projectId);
      List<Long> ids = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < list.size(); i++) {
        NewItem item = list.get(i);
        if (item == null) {
          ids.add(null);
          continue;
        }
        String gold = validate(p, item, i);
        ArrayNode responses = Body.JSON.createArrayNode();
        item.responses().forEach(r -> responses.add(ContentJson.toJson(r)));
        ids.add(Db.insert(c, "INSERT INTO items (project_id, prompt, responses, gold, created_at) VALUES (?, ?, ?, ?, ?)",
            projectId, ContentJson.write(item.prompt()), responses.toString(), gold, now));
      }
      screening.record(c, projectId, source);
      return ids;
    });
  }

  private static String validate(Project p, NewItem item, int index) {
    TaskKind kind = p.kind();
    int k = item.responses().size();
    String where = "items[" + index + "]: ";
    try {
      ContentJson.check(item.prompt(), "prompt");
      item.responses().forEach(r -> ContentJson.check(r, "responses"));
    } catch (HttpResponseException e) {
      throw new BadRequestResponse(where + e.getMessage());
    }
    if (k < kind.minResponses() || k > kind.maxResponses()) {
      String range = kind.minResponses() == kind.maxResponses() ? "" + kind.minResponses() : kind.minResponses() + "-" + kind.maxResponses();
      throw new BadRequestResponse(where + "a " + kind.id() + " item needs " + range + " responses but has " + k);
    }
    try {
      JsonNode gold = item.goldBestFirst() ? kind.goldBestFirst(k) : item.gold();
      return gold == null ? null : p.validate(Body.wrap(Body.object().set("gold", gold)), "gold", k).toString();
    } catch (HttpResponseException e) {
      throw new BadRequestResponse(where + "gold: " + e.getMessage());
    }
  }

  /** Loads one item's prompt and responses. */
  static JsonNode[] load(Connection c, long itemId) throws SQLException {
    return Db.queryOne(c, "SELECT prompt, responses FROM items WHERE id = ?",
        rs -> new JsonNode[] {ContentJson.parse(rs.getString(1)), ContentJson.parse(rs.getString(2))}, itemId);
  }
}

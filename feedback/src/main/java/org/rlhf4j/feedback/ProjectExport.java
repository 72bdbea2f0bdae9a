package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.UnpairedExample;

/**
 * Turns a project's labels into training data. Labels of raters whose gold accuracy is below
 * {@code minGoldAccuracy} are dropped; items with fewer than {@code minLabels} remaining labels or with
 * consensus below {@code minConsensus} are skipped; an adjudicated item uses the admin's label as a hard label.
 * Gold items are not exported. Every item is screened again under the project's current PII policy: redacted,
 * or left out when the policy drops or rejects it. The project's {@link TaskKind} turns the items into rows.
 */
final class ProjectExport {
  record Filter(double minConsensus, double minGoldAccuracy, int minLabels) {}

  /** One exported item: its labels after filtering, or the adjudicated value (null when none). */
  record Item(Content prompt, List<Content> responses, List<LabelRows.Row> labels, JsonNode adjudicated) {}

  private final Project project;
  private final List<Item> items = new ArrayList<>();
  private final PiiScreening screening;

  ProjectExport(Connection c, Project p, Filter f) throws SQLException {
    this.project = p;
    this.screening = new PiiScreening(PiiSettings.load(c, p.id()));
    LabelRows rows = LabelRows.load(c, p);
    Quality quality = new Quality(rows);
    List<String> dropped = quality.lowQualityRaters(f.minGoldAccuracy());
    Map<Long, List<LabelRows.Row>> byItem = LabelRows.byItem(rows.regular().stream().filter(r -> !dropped.contains(r.rater())).toList());
    Map<Long, JsonNode> adjudicated = new HashMap<>();
    TaskKind kind = p.kind();
    // the value column's name comes from TaskKind, never from input
    record Adjudication(long item, JsonNode value) {}
    for (Adjudication a : Db.query(c, "SELECT a.item_id, a." + kind.field() + " FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = ?",
        rs -> new Adjudication(rs.getLong(1), kind.storage().fromSql(rs, 2)), p.id())) {
      adjudicated.put(a.item(), a.value());
    }
    for (long id : Db.query(c, "SELECT id FROM items WHERE project_id = ? AND gold IS NULL ORDER BY id", rs -> rs.getLong(1), p.id())) {
      List<LabelRows.Row> labels = byItem.getOrDefault(id, List.of());
      JsonNode adj = adjudicated.get(id);
      if (adj == null && (labels.isEmpty() || labels.size() < f.minLabels() || quality.consensus(labels) < f.minConsensus())) continue;
      JsonNode[] stored = ItemStore.load(c, id);
      List<Content> parts = new ArrayList<>(List.of(ContentJson.fromJson(stored[0], "prompt")));
      for (JsonNode r : stored[1]) parts.add(ContentJson.fromJson(r, "response"));
      PiiScreening.Result screened = screening.screen(parts);  // under the project's policy as it is now
      if (!screened.kept()) continue;
      List<Content> kept = screened.contents();
      items.add(new Item(kept.get(0), kept.subList(1, kept.size()), labels, adj));
    }
  }

  /** What screening the exported items found (recorded by the caller as an export). */
  PiiScreening screening() { return screening; }

  /** Preference pairs with soft labels (see the kind); 400 for a kind that exports none. */
  List<PreferencePair> preferences() { return project.kind().preferences(items); }

  /** Rankings (see the kind); 400 for a kind that exports none. */
  List<Ranking> rankings() { return project.kind().rankings(items); }

  /** Unpaired (KTO) rows (see the kind); 400 for a kind that exports none. */
  List<UnpairedExample> unpaired() { return project.kind().unpaired(items); }

  /** Adds (first preferred with probability pFirst); an exact 0.5 carries no preference and is skipped. */
  static void addPair(List<PreferencePair> out, Content prompt, Content first, Content second, double pFirst) {
    if (pFirst == 0.5) return;
    out.add(pFirst > 0.5 ? new PreferencePair(prompt, first, second, pFirst) : new PreferencePair(prompt, second, first, 1.0 - pFirst));
  }
}

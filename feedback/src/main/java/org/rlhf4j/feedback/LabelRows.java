package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.PairwiseLabel;

/** A project's stored labels, loaded once; the project's {@link TaskKind} interprets their values. */
final class LabelRows {
  /** One stored label: its value is the canonical JSON of the project's kind (a choice, a ranking, a score). */
  record Row(long itemId, String rater, JsonNode value, int strength, List<Integer> displayOrder, Instant at, JsonNode gold) {
    String item() { return Long.toString(itemId); }
  }

  final Project project;
  final List<Row> rows;

  private LabelRows(Project project, List<Row> rows) {
    this.project = project;
    this.rows = rows;
  }

  static LabelRows load(Connection c, Project p) throws SQLException {
    TaskKind kind = p.kind();
    // the value column's name comes from TaskKind, never from input
    List<Row> rows = Db.query(c, "SELECT l.item_id, u.username, l." + kind.field() + ", l.strength, l.display_order, l.created_at, i.gold"
        + " FROM labels l JOIN users u ON u.id = l.rater_id JOIN items i ON i.id = l.item_id WHERE l.project_id = ? ORDER BY l.id",
        rs -> new Row(rs.getLong(1), rs.getString(2), kind.storage().fromSql(rs, 3), rs.getInt(4), TaskKind.ints(ContentJson.parse(rs.getString(5))),
            Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7) == null ? null : ContentJson.parse(rs.getString(7))),
        p.id());
    return new LabelRows(p, rows);
  }

  List<Row> regular() { return rows.stream().filter(r -> r.gold() == null).toList(); }

  List<Row> goldRows() { return rows.stream().filter(r -> r.gold() != null).toList(); }

  static Map<Long, List<Row>> byItem(List<Row> rows) {
    Map<Long, List<Row>> out = new LinkedHashMap<>();
    for (Row r : rows) out.computeIfAbsent(r.itemId(), k -> new ArrayList<>()).add(r);
    return out;
  }

  /**
   * Gold labels as pairwise labels against a gold of A (A = correct, B = wrong), so the data module's gold
   * accuracy and drift statistics apply to every task kind.
   */
  List<PairwiseLabel> goldAsPairwise() {
    List<PairwiseLabel> out = new ArrayList<>();
    for (Row r : goldRows()) {
      Choice c = project.kind().matchesGold(r.value(), r.gold()) ? Choice.A : Choice.B;
      out.add(new PairwiseLabel(r.item(), r.rater(), c, 0, false, r.at()));
    }
    return out;
  }

  Map<String, Choice> goldKey() {
    Map<String, Choice> gold = new LinkedHashMap<>();
    for (Row r : goldRows()) gold.put(r.item(), Choice.A);
    return gold;
  }

  /** A label's value as a nominal category (choice, full order, or score), for agreement and majority. */
  Object category(Row r) { return project.kind().category(r.value()); }
}

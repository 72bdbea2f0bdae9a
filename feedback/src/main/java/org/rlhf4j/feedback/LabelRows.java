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
import org.rlhf4j.data.label.RankingLabel;
import org.rlhf4j.data.label.RatingLabel;

/** A project's stored labels, loaded once and converted to the data module's label records. */
final class LabelRows {
  /** One stored label; exactly one of choice / ranking / score is set, per the project's kind. */
  record Row(long itemId, String rater, String choice, int strength, List<Integer> ranking, Integer score,
      List<Integer> displayOrder, Instant at, JsonNode gold) {
    String item() { return Long.toString(itemId); }
  }

  final Project project;
  final List<Row> rows;

  private LabelRows(Project project, List<Row> rows) {
    this.project = project;
    this.rows = rows;
  }

  static LabelRows load(Connection c, Project p) throws SQLException {
    List<Row> rows = Db.query(c, "SELECT l.item_id, u.username, l.choice, l.strength, l.ranking, l.score, l.display_order, l.created_at, i.gold"
        + " FROM labels l JOIN users u ON u.id = l.rater_id JOIN items i ON i.id = l.item_id WHERE l.project_id = ? ORDER BY l.id",
        rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), ints(rs.getString(5)),
            rs.getObject(6) == null ? null : (Integer) rs.getInt(6), ints(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)),
            rs.getString(9) == null ? null : ContentJson.parse(rs.getString(9))),
        p.id());
    return new LabelRows(p, rows);
  }

  private static List<Integer> ints(String json) {
    if (json == null) return null;
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : ContentJson.parse(json)) out.add(n.asInt());
    return out;
  }

  List<Row> regular() { return rows.stream().filter(r -> r.gold() == null).toList(); }

  List<Row> goldRows() { return rows.stream().filter(r -> r.gold() != null).toList(); }

  static Map<Long, List<Row>> byItem(List<Row> rows) {
    Map<Long, List<Row>> out = new LinkedHashMap<>();
    for (Row r : rows) out.computeIfAbsent(r.itemId(), k -> new ArrayList<>()).add(r);
    return out;
  }

  static PairwiseLabel pairwise(Row r) {
    return new PairwiseLabel(r.item(), r.rater(), Choice.valueOf(r.choice()), r.strength(), r.displayOrder().get(0) == 1, r.at());
  }

  static RankingLabel ranking(Row r) { return new RankingLabel(r.item(), r.rater(), r.ranking(), r.at()); }

  static RatingLabel rating(Row r) { return new RatingLabel(r.item(), r.rater(), r.score(), r.at()); }

  /**
   * Whether a label on a gold item matches the gold answer: the exact choice (pairwise), the same best
   * response (ranking), a score within one point (rating).
   */
  boolean matchesGold(Row r) {
    if (project.pairwise()) return r.choice().equals(r.gold().asText());
    if (project.ranking()) return r.ranking().get(0).equals(r.gold().get(0).asInt());
    return Math.abs(r.score() - r.gold().asInt()) <= 1;
  }

  /**
   * Gold labels as pairwise labels against a gold of A (A = correct, B = wrong), so the data module's gold
   * accuracy and drift statistics apply to every task kind.
   */
  List<PairwiseLabel> goldAsPairwise() {
    List<PairwiseLabel> out = new ArrayList<>();
    for (Row r : goldRows()) out.add(new PairwiseLabel(r.item(), r.rater(), matchesGold(r) ? Choice.A : Choice.B, 0, false, r.at()));
    return out;
  }

  Map<String, Choice> goldKey() {
    Map<String, Choice> gold = new LinkedHashMap<>();
    for (Row r : goldRows()) gold.put(r.item(), Choice.A);
    return gold;
  }

  /** A label's value as a nominal category (choice, full order, or score), for agreement and majority. */
  Object category(Row r) {
    return project.pairwise() ? r.choice() : project.ranking() ? r.ranking() : (Object) r.score();
  }
}

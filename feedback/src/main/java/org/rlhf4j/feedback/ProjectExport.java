package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.BadRequestResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.label.LabelStats;

/**
 * Turns a project's labels into training data. Labels of raters whose gold accuracy is below
 * {@code minGoldAccuracy} are dropped; items with fewer than {@code minLabels} remaining labels or with
 * consensus below {@code minConsensus} are skipped; an adjudicated item uses the admin's label as a hard label.
 * Gold items are not exported.
 */
final class ProjectExport {
  record Filter(double minConsensus, double minGoldAccuracy, int minLabels) {}

  private record Item(Content prompt, List<Content> responses, List<LabelRows.Row> labels, JsonNode adjudicated) {}

  private final Project project;
  private final List<Item> items = new ArrayList<>();
  private final Quality quality;

  ProjectExport(Connection c, Project p, Filter f) throws SQLException {
    this.project = p;
    LabelRows rows = LabelRows.load(c, p);
    this.quality = new Quality(rows);
    List<String> dropped = quality.lowQualityRaters(f.minGoldAccuracy());
    Map<Long, List<LabelRows.Row>> byItem = LabelRows.byItem(rows.regular().stream().filter(r -> !dropped.contains(r.rater())).toList());
    Map<Long, JsonNode> adjudicated = new HashMap<>();
    for (Object[] a : Db.query(c, "SELECT a.item_id, a.choice, a.ranking, a.score FROM adjudications a JOIN items i ON i.id = a.item_id WHERE i.project_id = ?",
        rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4)}, p.id())) {
      String value = a[1] != null ? Body.JSON.getNodeFactory().textNode((String) a[1]).toString() : a[2] != null ? (String) a[2] : String.valueOf(((Number) a[3]).intValue());
      adjudicated.put((Long) a[0], ContentJson.parse(value));
    }
    for (long id : Db.query(c, "SELECT id FROM items WHERE project_id = ? AND gold IS NULL ORDER BY id", rs -> rs.getLong(1), p.id())) {
      List<LabelRows.Row> labels = byItem.getOrDefault(id, List.of());
      JsonNode adj = adjudicated.get(id);
      if (adj == null && (labels.isEmpty() || labels.size() < f.minLabels() || quality.consensus(labels) < f.minConsensus())) continue;
      JsonNode[] stored = ItemStore.load(c, id);
      List<Content> responses = new ArrayList<>();
      for (JsonNode r : stored[1]) responses.add(ContentJson.fromJson(r, "response"));
      items.add(new Item(ContentJson.fromJson(stored[0], "prompt"), responses, labels, adj));
    }
  }

  /** Preference pairs: soft labels from vote fractions (pairwise: ties count half; ranking: per response pair). */
  List<PreferencePair> preferences() {
    if (project.rating()) throw new BadRequestResponse("a rating project exports 'unpaired', not preferences");
    List<PreferencePair> out = new ArrayList<>();
    for (Item it : items) {
      if (project.pairwise()) {
        double pA = it.adjudicated() != null ? adjudicatedP(it.adjudicated().asText())
            : LabelStats.softLabel(it.labels().stream().map(LabelRows::pairwise).toList());
        addPair(out, it.prompt(), it.responses().get(0), it.responses().get(1), pA);
      } else {
        int k = it.responses().size();
        for (int i = 0; i < k; i++) {
          for (int j = i + 1; j < k; j++) addPair(out, it.prompt(), it.responses().get(i), it.responses().get(j), above(it, i, j));
        }
      }
    }
    return out;
  }

  private static double adjudicatedP(String choice) { return choice.equals("A") ? 1.0 : choice.equals("B") ? 0.0 : 0.5; }

  /** Adds (first preferred with probability pFirst); an exact 0.5 carries no preference and is skipped. */
  private static void addPair(List<PreferencePair> out, Content prompt, Content first, Content second, double pFirst) {
    if (pFirst == 0.5) return;
    out.add(pFirst > 0.5 ? new PreferencePair(prompt, first, second, pFirst) : new PreferencePair(prompt, second, first, 1.0 - pFirst));
  }

  /** Fraction of rankings that put response i above response j (1 or 0 for an adjudicated ranking). */
  private static double above(Item it, int i, int j) {
    List<List<Integer>> orders = it.adjudicated() != null ? List.of(toList(it.adjudicated())) : it.labels().stream().map(LabelRows.Row::ranking).toList();
    long wins = orders.stream().filter(o -> o.indexOf(i) < o.indexOf(j)).count();
    return (double) wins / orders.size();
  }

  private static List<Integer> toList(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  /** Rankings: the adjudicated order, else the responses sorted by mean position (Borda), ties by index. */
  List<Ranking> rankings() {
    if (!project.ranking()) throw new BadRequestResponse("only a ranking project exports rankings");
    List<Ranking> out = new ArrayList<>();
    for (Item it : items) {
      List<Integer> order;
      if (it.adjudicated() != null) {
        order = toList(it.adjudicated());
      } else {
        double[] meanPos = new double[it.responses().size()];
        for (LabelRows.Row r : it.labels()) for (int pos = 0; pos < r.ranking().size(); pos++) meanPos[r.ranking().get(pos)] += pos;
        order = IntStream.range(0, meanPos.length).boxed().sorted(Comparator.comparingDouble((Integer x) -> meanPos[x]).thenComparing(x -> x)).toList();
      }
      out.add(new Ranking(it.prompt(), order.stream().map(it.responses()::get).toList()));
    }
    return out;
  }

  /** Unpaired (KTO) rows from a rating project: mean score >= 5 desirable, <= 3 undesirable, in between skipped. */
  List<UnpairedExample> unpaired() {
    if (!project.rating()) throw new BadRequestResponse("only a rating project exports unpaired rows");
    List<UnpairedExample> out = new ArrayList<>();
    for (Item it : items) {
      double mean = it.adjudicated() != null ? it.adjudicated().asInt() : it.labels().stream().mapToInt(LabelRows.Row::score).average().orElse(4);
      if (mean >= 5) out.add(new UnpairedExample(it.prompt(), it.responses().get(0), true));
      else if (mean <= 3) out.add(new UnpairedExample(it.prompt(), it.responses().get(0), false));
    }
    return out;
  }
}

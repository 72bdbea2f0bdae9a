package org.rlhf4j.feedback;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.BadRequestResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.agreement.Distance;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.LabelStats;
import org.rlhf4j.data.label.LabelTables;
import org.rlhf4j.data.label.PairwiseLabel;
import org.rlhf4j.data.label.RankingLabel;
import org.rlhf4j.data.label.RatingLabel;

/**
 * The task kinds of a labelling project. Each kind carries everything that differs between kinds: how a label
 * (or gold answer, or adjudication) is validated, the column it is stored in, when it matches the gold answer,
 * its agreement distance and consensus, and the training data it exports. Nothing else in the service asks
 * which kind it holds. To add a kind: a constant here plus a migration (feedback/README.md, "Adding a task kind").
 */
enum TaskKind {
  /** A/B comparison of two responses, optionally a tie and a strength 1..strengthLevels. */
  PAIRWISE("pairwise", "pairwise comparison", "choice", Storage.TEXT, 2, 2, List.of("preferences")) {
    @Override JsonNode validate(Project p, Body b, String field, int k) {
      return TextNode.valueOf(b.oneOf(field, p.allowTie() ? Set.of("A", "B", "TIE") : Set.of("A", "B")));
    }

    @Override Integer strength(Project p, Body b, JsonNode value) {
      return p.strengthLevels() > 0 && !"TIE".equals(value.asText()) ? (int) b.integer("strength", 1, p.strengthLevels()) : null;
    }

    @Override JsonNode goldBestFirst(int k) { return TextNode.valueOf("A"); }

    /** The exact choice. */
    @Override boolean matchesGold(JsonNode value, JsonNode gold) { return value.asText().equals(gold.asText()); }

    @Override Object category(JsonNode value) { return value.asText(); }

    @Override List<String> dpBins() { return List.of("A", "B", "TIE"); }

    @Override String dpBin(JsonNode value) { return value.asText(); }

    @Override Double firstWins(JsonNode value) { return switch (value.asText()) { case "A" -> 1.0; case "TIE" -> 0.5; default -> 0.0; }; }

    @Override Map<String, Double> majorityAgreement(List<LabelRows.Row> rows) { return LabelStats.majorityAgreement(labels(rows)); }

    @Override void alpha(ObjectNode o, List<LabelRows.Row> rows) {
      List<PairwiseLabel> labels = labels(rows);
      Quality.stat(o, "firstShownPreference", () -> LabelStats.firstShownPreference(labels));  // 0.5 = no position bias
      o.put("alphaDistance", "nominal");
      Quality.stat(o, "krippendorffAlpha", () -> Agreement.krippendorffAlpha(LabelTables.pairwise(labels), Distance.nominal()));
    }

    /** The top-vote share. */
    @Override double consensus(List<LabelRows.Row> item) {
      Map<String, Integer> votes = new HashMap<>();
      item.forEach(r -> votes.merge(r.value().asText(), 1, Integer::sum));
      return votes.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) item.size();
    }

    /** Soft labels from vote fractions (ties count half); an adjudicated choice is a hard label. */
    @Override List<PreferencePair> preferences(List<ProjectExport.Item> items) {
      List<PreferencePair> out = new ArrayList<>();
      for (ProjectExport.Item it : items) {
        double pA = it.adjudicated() != null ? switch (it.adjudicated().asText()) { case "A" -> 1.0; case "B" -> 0.0; default -> 0.5; }
            : LabelStats.softLabel(labels(it.labels()));
        ProjectExport.addPair(out, it.prompt(), it.responses().get(0), it.responses().get(1), pA);
      }
      return out;
    }

    private List<PairwiseLabel> labels(List<LabelRows.Row> rows) {
      return rows.stream().map(r -> new PairwiseLabel(r.item(), r.rater(), Choice.valueOf(r.value().asText()), r.strength(),
          r.displayOrder().get(0) == 1, r.at())).toList();
    }
  },

  /** A best-first order of K = 2..10 responses (a permutation of the response indexes). */
  RANKING("ranking", "ranking of K responses", "ranking", Storage.JSON, 2, 10, List.of("preferences", "rankings")) {
    @Override JsonNode validate(Project p, Body b, String field, int k) {
      List<Integer> order = b.intList(field);
      if (order.size() != k || Set.copyOf(order).size() != k || order.stream().anyMatch(i -> i < 0 || i >= k)) {
        throw new BadRequestResponse("a ranking must list each of the " + k + " response indexes 0.." + (k - 1) + " exactly once, but was " + order);
      }
      return Body.JSON.valueToTree(order);
    }

    @Override JsonNode goldBestFirst(int k) { return Body.JSON.valueToTree(IntStream.range(0, k).boxed().toList()); }

    /** The same best response. */
    @Override boolean matchesGold(JsonNode value, JsonNode gold) { return value.get(0).asInt() == gold.get(0).asInt(); }

    @Override Object category(JsonNode value) { return ints(value); }

    /** The response ranked best (1-based, as listed on import). */
    @Override List<String> dpBins() { return IntStream.rangeClosed(1, 10).mapToObj(i -> "best=" + i).toList(); }

    @Override String dpBin(JsonNode value) { return "best=" + (value.get(0).asInt() + 1); }

    @Override void alpha(ObjectNode o, List<LabelRows.Row> rows) {
      o.put("alphaDistance", "ranking");
      Quality.stat(o, "krippendorffAlpha", () -> Agreement.krippendorffAlpha(LabelTables.rankings(
          rows.stream().map(r -> new RankingLabel(r.item(), r.rater(), ints(r.value()), r.at())).toList()), Distance.ranking()));
    }

    /** The normalised Kendall distance. */
    @Override double distance(JsonNode a, JsonNode b) { return Distance.ranking().squared(ints(a), ints(b)); }

    /** Per response pair, the fraction of rankings that put the first above the second. */
    @Override List<PreferencePair> preferences(List<ProjectExport.Item> items) {
      List<PreferencePair> out = new ArrayList<>();
      for (ProjectExport.Item it : items) {
        List<List<Integer>> orders = it.adjudicated() != null ? List.of(ints(it.adjudicated())) : it.labels().stream().map(r -> ints(r.value())).toList();
        int k = it.responses().size();
        for (int i = 0; i < k; i++) {
          for (int j = i + 1; j < k; j++) {
            int a = i;
            int b = j;
            double above = (double) orders.stream().filter(o -> o.indexOf(a) < o.indexOf(b)).count() / orders.size();
            ProjectExport.addPair(out, it.prompt(), it.responses().get(i), it.responses().get(j), above);
          }
        }
      }
      return out;
    }

    /** The adjudicated order, else the responses sorted by mean position (Borda), ties by index. */
    @Override List<Ranking> rankings(List<ProjectExport.Item> items) {
      List<Ranking> out = new ArrayList<>();
      for (ProjectExport.Item it : items) {
        List<Integer> order;
        if (it.adjudicated() != null) {
          order = ints(it.adjudicated());
        } else {
          double[] meanPos = new double[it.responses().size()];
          for (LabelRows.Row r : it.labels()) {
            List<Integer> ranking = ints(r.value());
            for (int pos = 0; pos < ranking.size(); pos++) meanPos[ranking.get(pos)] += pos;
          }
          order = IntStream.range(0, meanPos.length).boxed().sorted(Comparator.comparingDouble((Integer x) -> meanPos[x]).thenComparing(x -> x)).toList();
        }
        out.add(new Ranking(it.prompt(), order.stream().map(it.responses()::get).toList()));
      }
      return out;
    }
  },

  /** A Likert score 1..7 of one response. */
  RATING("rating", "Likert rating 1-7", "score", Storage.INTEGER, 1, 1, List.of("unpaired")) {
    @Override JsonNode validate(Project p, Body b, String field, int k) {
      return IntNode.valueOf((int) b.integer(field, RatingLabel.MIN_SCORE, RatingLabel.MAX_SCORE));
    }

    @Override JsonNode goldBestFirst(int k) {
      throw new BadRequestResponse("a rating item's gold answer is a score; add gold rating items as JSON with \"gold\": <1-7>");
    }

    /** A score within one point. */
    @Override boolean matchesGold(JsonNode value, JsonNode gold) { return Math.abs(value.asInt() - gold.asInt()) <= 1; }

    @Override Object category(JsonNode value) { return value.asInt(); }

    @Override List<String> dpBins() { return IntStream.rangeClosed(RatingLabel.MIN_SCORE, RatingLabel.MAX_SCORE).mapToObj(Integer::toString).toList(); }

    @Override String dpBin(JsonNode value) { return Integer.toString(value.asInt()); }

    @Override void alpha(ObjectNode o, List<LabelRows.Row> rows) {
      o.put("alphaDistance", "interval");
      Quality.stat(o, "krippendorffAlpha", () -> Agreement.krippendorffAlpha(LabelTables.ratings(
          rows.stream().map(r -> new RatingLabel(r.item(), r.rater(), r.value().asInt(), r.at())).toList()), Distance.interval()));
    }

    /** |a - b| / 6. */
    @Override double distance(JsonNode a, JsonNode b) {
      return Math.abs(a.asInt() - b.asInt()) / (double) (RatingLabel.MAX_SCORE - RatingLabel.MIN_SCORE);
    }

    /** Unpaired (KTO) rows: mean score >= 5 desirable, <= 3 undesirable, in between skipped. */
    @Override List<UnpairedExample> unpaired(List<ProjectExport.Item> items) {
      List<UnpairedExample> out = new ArrayList<>();
      for (ProjectExport.Item it : items) {
        double mean = it.adjudicated() != null ? it.adjudicated().asInt() : it.labels().stream().mapToInt(r -> r.value().asInt()).average().orElse(4);
        if (mean >= 5) out.add(new UnpairedExample(it.prompt(), it.responses().get(0), true));
        else if (mean <= 3) out.add(new UnpairedExample(it.prompt(), it.responses().get(0), false));
      }
      return out;
    }
  };

  /** How a label value is kept in its column of {@code labels} and {@code adjudications}. */
  enum Storage {
    TEXT {
      @Override Object toSql(JsonNode v) { return v.asText(); }
      @Override JsonNode fromSql(ResultSet rs, int col) throws SQLException {
        String s = rs.getString(col);
        return s == null ? null : TextNode.valueOf(s);
      }
    },
    JSON {
      @Override Object toSql(JsonNode v) { return v.toString(); }
      @Override JsonNode fromSql(ResultSet rs, int col) throws SQLException {
        String s = rs.getString(col);
        return s == null ? null : ContentJson.parse(s);
      }
    },
    INTEGER {
      @Override Object toSql(JsonNode v) { return v.asInt(); }
      @Override JsonNode fromSql(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : IntNode.valueOf(v);
      }
    };

    abstract Object toSql(JsonNode value);
    abstract JsonNode fromSql(ResultSet rs, int col) throws SQLException;
  }

  private final String id;
  private final String description;
  private final String field;
  private final Storage storage;
  private final int minResponses;
  private final int maxResponses;
  private final List<String> exportFormats;

  TaskKind(String id, String description, String field, Storage storage, int minResponses, int maxResponses, List<String> exportFormats) {
    this.id = id;
    this.description = description;
    this.field = field;
    this.storage = storage;
    this.minResponses = minResponses;
    this.maxResponses = maxResponses;
    this.exportFormats = exportFormats;
  }

  /** The name in the API and the database ({@code "pairwise"}). */
  @JsonValue String id() { return id; }
  String description() { return description; }
  /** The JSON field of a label, gold answer or adjudication, and the column it is stored in. */
  String field() { return field; }
  Storage storage() { return storage; }
  int minResponses() { return minResponses; }
  int maxResponses() { return maxResponses; }
  List<String> exportFormats() { return exportFormats; }

  static Set<String> ids() { return Set.copyOf(Arrays.stream(values()).map(TaskKind::id).toList()); }

  static TaskKind of(String id) {
    for (TaskKind k : values()) if (k.id.equals(id)) return k;
    throw new IllegalStateException("unknown task kind '" + id + "' (known: " + ids() + ")");
  }

  /** Validates a label value (or gold answer, or adjudication) in {@code field} of {@code b}; returns its canonical JSON. */
  abstract JsonNode validate(Project p, Body b, String field, int k);

  /** The label's strength, when this kind and project record one (else null). */
  Integer strength(Project p, Body b, JsonNode value) { return null; }

  /** The gold answer of an imported item whose {@code k} responses are listed best first. */
  abstract JsonNode goldBestFirst(int k);

  /** Whether a label on a gold item counts as correct. */
  abstract boolean matchesGold(JsonNode value, JsonNode gold);

  /** A label's value as a nominal category, for raw agreement, kappas and majorities. */
  abstract Object category(JsonNode value);

  /** The bins of a DP label-count histogram: fixed in advance (every bin is released, empty or not, so none leaks by appearing). */
  abstract List<String> dpBins();

  /** The histogram bin of a label value. */
  abstract String dpBin(JsonNode value);

  /** The first-listed response's share of one label for a win rate (1 win, 0.5 tie, 0 loss); null when the kind has no win rate. */
  Double firstWins(JsonNode value) { return null; }

  /** Per rater, how often their label equals the strict plurality of the other raters' labels on the item. */
  Map<String, Double> majorityAgreement(List<LabelRows.Row> rows) { return Quality.pluralityAgreement(rows, r -> category(r.value())); }

  /** Puts {@code alphaDistance} and {@code krippendorffAlpha} (and any kind-specific statistic) into the agreement report. */
  abstract void alpha(ObjectNode o, List<LabelRows.Row> rows);

  /** The distance of two label values in [0, 1] (used by the default consensus). */
  double distance(JsonNode a, JsonNode b) { return category(a).equals(category(b)) ? 0 : 1; }

  /** Consensus of one item's labels in [0, 1]; by default 1 - the mean distance over label pairs. */
  double consensus(List<LabelRows.Row> item) {
    if (item.size() < 2) return 1.0;
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < item.size(); i++) {
      for (int j = i + 1; j < item.size(); j++) {
        sum += distance(item.get(i).value(), item.get(j).value());
        pairs++;
      }
    }
    return 1.0 - sum / pairs;
  }

  List<PreferencePair> preferences(List<ProjectExport.Item> items) { throw unsupported("preferences"); }
  List<Ranking> rankings(List<ProjectExport.Item> items) { throw unsupported("rankings"); }
  List<UnpairedExample> unpaired(List<ProjectExport.Item> items) { throw unsupported("unpaired"); }

  private BadRequestResponse unsupported(String format) {
    return new BadRequestResponse("a " + id + " project exports " + String.join(" or ", exportFormats) + ", not " + format);
  }

  static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  /**
   * Fails start-up when a kind has no row in {@code task_kinds} or no column for its labels and adjudications,
   * i.e. when a constant was added here without its migration.
   */
  static void checkSchema(Connection c) throws SQLException {
    for (TaskKind k : values()) {
      if (Db.count(c, "SELECT COUNT(*) FROM task_kinds WHERE name = ?", k.id) != 1) {
        throw new IllegalStateException("task kind '" + k.id + "' is missing from table task_kinds: add a migration that inserts it"
            + " (feedback/README.md, \"Adding a task kind\")");
      }
      for (String table : List.of("labels", "adjudications")) {
        try {
          Db.count(c, "SELECT COUNT(*) FROM " + table + " WHERE " + k.field + " IS NULL AND 1 = 0");  // names from this enum, never from input
        } catch (SQLException e) {
          throw new IllegalStateException("task kind '" + k.id + "' stores its labels in column " + table + "." + k.field
              + ", which does not exist: add it in a migration (feedback/README.md, \"Adding a task kind\")", e);
        }
      }
    }
  }
}

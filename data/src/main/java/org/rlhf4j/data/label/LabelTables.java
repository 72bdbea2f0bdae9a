package org.rlhf4j.data.label;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rlhf4j.data.agreement.Ratings;

/**
 * Turns label lists into {@link Ratings} tables (unit = item id) for the agreement statistics.
 * When a rater labelled the same item more than once, their latest label (by time) counts.
 */
public final class LabelTables {
  private LabelTables() {}

  /** item x rater table of pairwise choices (for Cohen/Fleiss/Krippendorff nominal). */
  public static Ratings<Choice> pairwise(List<PairwiseLabel> labels) {
    return table(labels, PairwiseLabel::itemId, PairwiseLabel::raterId, PairwiseLabel::at, PairwiseLabel::choice);
  }

  /** item x rater table of rankings (for Krippendorff alpha with {@code Distance.ranking()}). */
  public static Ratings<List<Integer>> rankings(List<RankingLabel> labels) {
    return table(labels, RankingLabel::itemId, RankingLabel::raterId, RankingLabel::at, RankingLabel::orderBestFirst);
  }

  /** item x rater table of Likert scores (for Krippendorff alpha with {@code Distance.interval()}). */
  public static Ratings<Number> ratings(List<RatingLabel> labels) {
    return table(labels, RatingLabel::itemId, RatingLabel::raterId, RatingLabel::at, RatingLabel::score);
  }

  private static <L, V> Ratings<V> table(List<L> labels, Function<L, String> item, Function<L, String> rater,
      Function<L, Instant> at, Function<L, V> value) {
    Map<String, L> latest = new LinkedHashMap<>();
    labels.stream().sorted(Comparator.comparing(at)).forEach(l -> {
      String key = item.apply(l) + "\u0000" + rater.apply(l);
      latest.put(key, l);
    });
    Ratings.Builder<V> b = Ratings.builder();
    for (L l : latest.values()) b.add(item.apply(l), rater.apply(l), value.apply(l));
    return b.build();
  }
}

package org.rlhf4j.demo.raters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.LabelStats;
import org.rlhf4j.data.label.PairwiseLabel;

/** A pool of simulated annotators who label pairwise comparisons from the gold reward, with noise and biases. */
public final class RaterPool {
  /** Labels are stamped one second apart from here, so runs are reproducible. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final List<SimulatedRater> raters;

  private RaterPool(List<RaterProfile> profiles) {
    if (profiles.isEmpty()) throw new IllegalArgumentException("a rater pool needs at least one rater");
    Set<String> ids = new HashSet<>();
    for (RaterProfile p : profiles) {
      if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate rater id " + p.id());
    }
    this.raters = profiles.stream().map(SimulatedRater::new).toList();
  }

  public static RaterPool of(List<RaterProfile> profiles) { return new RaterPool(List.copyOf(profiles)); }

  /**
   * Mostly decent raters (flip rate 10–25%, slight length and position biases) plus about one in seven unreliable
   * (near-random) raters, at least one when {@code nRaters >= 4}.
   */
  public static RaterPool standard(int nRaters, long seed) {
    checkSize(nRaters);
    SplittableRandom rnd = new SplittableRandom(seed);
    int unreliable = nRaters >= 4 ? Math.max(1, (int) Math.round(nRaters / 7.0)) : 0;
    Set<Integer> bad = pickIndices(nRaters, unreliable, rnd);
    List<RaterProfile> profiles = new ArrayList<>();
    for (int i = 0; i < nRaters; i++) {
      String id = id(i);
      profiles.add(bad.contains(i) ? new RaterProfile(id, 0.5, 0, 0, true)
          : new RaterProfile(id, uniform(rnd, 0.10, 0.25), uniform(rnd, 0, 0.2), uniform(rnd, 0, 0.1), false));
    }
    return new RaterPool(profiles);
  }

  /**
   * Raters who strongly prefer longer responses (length bias 1.0–1.5 gold points per 10 words) with flip rates of
   * 10–25%: a reward model trained on their labels learns to pay for length (the demo's --hackable mode).
   */
  public static RaterPool lengthBiased(int nRaters, long seed) {
    checkSize(nRaters);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<RaterProfile> profiles = new ArrayList<>();
    for (int i = 0; i < nRaters; i++) {
      profiles.add(new RaterProfile(id(i), uniform(rnd, 0.10, 0.25), uniform(rnd, 1.0, 1.5), uniform(rnd, 0, 0.05),
          false));
    }
    return new RaterPool(profiles);
  }

  public List<RaterProfile> profiles() { return raters.stream().map(SimulatedRater::profile).toList(); }

  /**
   * {@code ratingsPerItem} labels per item from distinct, randomly chosen raters, in item order. Choices are in the
   * item's own A/B terms (see {@link PairwiseLabel}); timestamps run from {@link #START} one second apart.
   */
  public List<PairwiseLabel> label(List<ComparisonItem> items, int ratingsPerItem, SplittableRandom rnd) {
    if (ratingsPerItem < 1 || ratingsPerItem > raters.size()) {
      throw new IllegalArgumentException(
          "ratingsPerItem must be in [1, " + raters.size() + "] (the pool size) but was " + ratingsPerItem);
    }
    List<PairwiseLabel> labels = new ArrayList<>(items.size() * ratingsPerItem);
    for (ComparisonItem item : items) {
      for (int r : pickIndices(raters.size(), ratingsPerItem, rnd)) {
        Instant at = START.plus(Duration.ofSeconds(labels.size()));
        labels.add(raters.get(r).rate(item, rnd, at));
      }
    }
    return labels;
  }

  /**
   * The raters whose accuracy on gold items ({@code goldAnswers}: item id to true choice) is at least
   * {@code minAccuracy}. Raters who labelled no gold item are not vouched for and are left out.
   */
  public Set<String> filterReliable(List<PairwiseLabel> labels, Map<String, Choice> goldAnswers, double minAccuracy) {
    if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
      throw new IllegalArgumentException("minAccuracy must be in [0, 1] but was " + minAccuracy);
    }
    Set<String> reliable = new TreeSet<>();
    LabelStats.goldAccuracy(labels, goldAnswers).forEach((rater, acc) -> {
      if (acc >= minAccuracy) reliable.add(rater);
    });
    return Collections.unmodifiableSet(reliable);
  }

  private static void checkSize(int nRaters) {
    if (nRaters < 1) throw new IllegalArgumentException("nRaters must be >= 1 but was " + nRaters);
  }

  private static String id(int i) { return String.format("rater-%02d", i + 1); }

  private static double uniform(SplittableRandom rnd, double lo, double hi) {
    return lo == hi ? lo : rnd.nextDouble(lo, hi);
  }

  /** {@code k} distinct indices in [0, n), in ascending order. */
  private static Set<Integer> pickIndices(int n, int k, SplittableRandom rnd) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(i);
    for (int i = 0; i < k; i++) Collections.swap(all, i, i + rnd.nextInt(n - i));
    return new TreeSet<>(all.subList(0, k));
  }
}

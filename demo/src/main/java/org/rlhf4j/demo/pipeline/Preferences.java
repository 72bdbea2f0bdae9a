package org.rlhf4j.demo.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.agreement.Ratings;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.LabelStats;
import org.rlhf4j.data.label.LabelTables;
import org.rlhf4j.data.label.PairwiseLabel;
import org.rlhf4j.demo.raters.ComparisonItem;
import org.rlhf4j.demo.raters.Comparisons;
import org.rlhf4j.demo.raters.RaterPool;
import org.rlhf4j.demo.world.GoldReward;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.evaluation.WinRate;
import org.rlhf4j.evaluation.WinRates;

/**
 * Preference collection as a labelling team would run it: response pairs sampled from the SFT
 * policy, gold items with known answers mixed in, several simulated raters per item, unreliable
 * raters dropped by gold accuracy, and soft labels from the remaining votes.
 */
final class Preferences {
  /** What the collection produced. */
  record Collected(List<PreferencePair> pairs, List<ComparisonItem> items, List<PairwiseLabel> labels,
      Set<String> reliableRaters, Map<String, Double> goldAccuracy, Map<String, WinRate> goldAccuracyIntervals,
      Map<String, Double> agreement, double labelGoldAgreement, Map<String, Double> consensus, Map<String, Prompt> itemPrompts) {

    /** Labels bought from the raters for items whose prompt {@code counts} (every item, gold items included). */
    long labelsBought(java.util.function.Predicate<Prompt> counts) {
      return labels.stream().filter(l -> counts.test(itemPrompts.get(l.itemId()))).count();
    }
  }

  private Preferences() {}

  static Collected collect(List<Prompt> prompts, List<String> responsesA, List<String> responsesB, GoldReward gold,
      org.rlhf4j.demo.world.World world, RaterPool pool, int ratingsPerItem, SplittableRandom rnd) {
    List<ComparisonItem> items = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      if (responsesA.get(i).equals(responsesB.get(i))) continue; // nothing to compare
      items.add(ComparisonItem.of("pair-" + i, prompts.get(i), responsesA.get(i), responsesB.get(i), gold));
    }
    List<ComparisonItem> goldItems = new ArrayList<>();
    for (ComparisonItem g : Comparisons.sample(world, Math.max(20, items.size() / 10), rnd)) {
      goldItems.add(new ComparisonItem("gold-" + g.id(), g.prompt(), g.responseA(), g.responseB(), g.goldA(), g.goldB()));
    }
    List<ComparisonItem> all = new ArrayList<>(items);
    all.addAll(goldItems);
    List<PairwiseLabel> labels = pool.label(all, ratingsPerItem, rnd);
    Map<String, Choice> goldAnswers = Comparisons.goldAnswers(goldItems);
    Set<String> reliable = pool.filterReliable(labels, goldAnswers, 0.6);
    Map<String, Double> goldAcc = LabelStats.goldAccuracy(labels, goldAnswers);
    Map<String, List<PairwiseLabel>> byItem = new HashMap<>();
    for (PairwiseLabel l : labels) if (reliable.contains(l.raterId())) byItem.computeIfAbsent(l.itemId(), k -> new ArrayList<>()).add(l);
    List<PreferencePair> pairs = new ArrayList<>();
    Map<String, Double> consensus = new HashMap<>();
    Map<String, Prompt> itemPrompts = new HashMap<>();
    for (ComparisonItem it : all) itemPrompts.put(it.id(), it.prompt());
    int agreeWithGold = 0, decided = 0;
    for (ComparisonItem it : items) {
      List<PairwiseLabel> votes = byItem.getOrDefault(it.id(), List.of());
      if (votes.isEmpty()) continue;
      double pA = LabelStats.softLabel(votes);
      consensus.put(it.id(), pA);
      if (pA == 0.5) continue; // no consensus: left for adjudication, not trained on
      boolean aWins = pA > 0.5;
      Chat prompt = Chat.of(Message.user(it.prompt().text()));
      Chat a = Chat.of(Message.assistant(it.responseA())), b = Chat.of(Message.assistant(it.responseB()));
      pairs.add(new PreferencePair(prompt, aWins ? a : b, aWins ? b : a, Math.max(pA, 1 - pA)));
      if (it.goldChoice() != Choice.TIE) {
        decided++;
        if ((it.goldChoice() == Choice.A) == aWins) agreeWithGold++;
      }
    }
    return new Collected(pairs, items, labels, reliable, goldAcc, goldAccuracyIntervals(labels, goldAnswers), agreement(labels), decided == 0 ? Double.NaN : agreeWithGold / (double) decided, consensus, itemPrompts);
  }

  /** Per rater (sorted by id), accuracy on gold items with its 95% Wilson interval. */
  static Map<String, WinRate> goldAccuracyIntervals(List<PairwiseLabel> labels, Map<String, Choice> gold) {
    Map<String, List<Double>> hits = new java.util.TreeMap<>();
    for (PairwiseLabel l : labels) {
      Choice expected = gold.get(l.itemId());
      if (expected != null) hits.computeIfAbsent(l.raterId(), r -> new ArrayList<>()).add(l.choice() == expected ? 1.0 : 0.0);
    }
    Map<String, WinRate> out = new LinkedHashMap<>();
    hits.forEach((rater, h) -> out.put(rater, WinRates.wilson(h.stream().mapToDouble(Double::doubleValue).toArray())));
    return out;
  }

  /** Raw agreement, mean pairwise Cohen's kappa, Fleiss' kappa and Krippendorff's alpha over all labels. */
  static Map<String, Double> agreement(List<PairwiseLabel> labels) {
    Ratings<Choice> r = LabelTables.pairwise(labels);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("raw_agreement", Agreement.rawAgreement(r));
    m.put("cohen_kappa_mean", Agreement.meanPairwiseCohenKappa(r));
    m.put("fleiss_kappa", Agreement.fleissKappa(r));
    m.put("krippendorff_alpha", Agreement.krippendorffAlpha(r, org.rlhf4j.data.agreement.Distance.nominal()));
    return m;
  }
}

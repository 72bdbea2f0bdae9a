package org.rlhf4j.data.label;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Quality statistics over raters' pairwise labels. Per-rater maps are sorted by rater id and contain
 * only raters for whom the statistic is defined (e.g. who labelled at least one gold item).
 */
public final class LabelStats {
  private static final double EPS = 1e-12;

  private LabelStats() {}

  /**
   * Per rater, the fraction of their labels on gold items (items in {@code gold}) that match the gold
   * choice exactly (a gold TIE is matched only by TIE).
   */
  public static Map<String, Double> goldAccuracy(List<PairwiseLabel> labels, Map<String, Choice> gold) {
    Map<String, int[]> counts = new TreeMap<>(); // rater -> {correct, total}
    for (PairwiseLabel l : labels) {
      Choice expected = gold.get(l.itemId());
      if (expected == null) continue;
      int[] c = counts.computeIfAbsent(l.raterId(), r -> new int[2]);
      if (l.choice() == expected) c[0]++;
      c[1]++;
    }
    return fractions(counts);
  }

  /**
   * Per rater, how often their choice matches the leave-self-out majority: the most frequent choice
   * among the other raters' labels on the same item. Items with no other labels, or where the others'
   * top choice is tied (no strict plurality), are not scored.
   */
  public static Map<String, Double> majorityAgreement(List<PairwiseLabel> labels) {
    Map<String, List<PairwiseLabel>> byItem = new LinkedHashMap<>();
    for (PairwiseLabel l : labels) byItem.computeIfAbsent(l.itemId(), i -> new ArrayList<>()).add(l);
    Map<String, int[]> counts = new TreeMap<>();
    for (List<PairwiseLabel> item : byItem.values()) {
      for (PairwiseLabel l : item) {
        Choice majority = plurality(item, l.raterId());
        if (majority == null) continue;
        int[] c = counts.computeIfAbsent(l.raterId(), r -> new int[2]);
        if (l.choice() == majority) c[0]++;
        c[1]++;
      }
    }
    return fractions(counts);
  }

  /**
   * P(A preferred) for one item: (#A + #TIE / 2) / #labels. Strength is not used.
   *
   * @throws IllegalArgumentException when the list is empty or mixes items
   */
  public static double softLabel(List<PairwiseLabel> labelsForOneItem) {
    if (labelsForOneItem.isEmpty()) throw new IllegalArgumentException("softLabel needs at least one label");
    String item = labelsForOneItem.get(0).itemId();
    double a = 0;
    for (PairwiseLabel l : labelsForOneItem) {
      if (!l.itemId().equals(item)) {
        throw new IllegalArgumentException("softLabel expects labels of one item but got '" + item + "' and '" + l.itemId() + "'");
      }
      a += switch (l.choice()) {
        case A -> 1.0;
        case TIE -> 0.5;
        case B -> 0.0;
      };
    }
    return a / labelsForOneItem.size();
  }

  /**
   * Raters whose gold accuracy drifts down. For each rater, their labels on gold items are ordered by time;
   * for every window of {@code window} consecutive gold labels that has at least {@code window} gold labels
   * before it, "before" is the accuracy over all earlier gold labels and "after" the accuracy inside the
   * window. The first window with before - after >= drop is reported (one flag per rater, {@code since} =
   * time of the window's first label). Flags are sorted by rater id.
   */
  public static List<DriftFlag> drift(List<PairwiseLabel> labels, Map<String, Choice> gold, int window, double drop) {
    if (window < 1) throw new IllegalArgumentException("window must be >= 1 but was " + window);
    if (!(drop > 0 && drop <= 1)) throw new IllegalArgumentException("drop must be in (0, 1] but was " + drop);
    Map<String, List<PairwiseLabel>> byRater = new TreeMap<>();
    for (PairwiseLabel l : labels) {
      if (gold.containsKey(l.itemId())) byRater.computeIfAbsent(l.raterId(), r -> new ArrayList<>()).add(l);
    }
    List<DriftFlag> flags = new ArrayList<>();
    for (List<PairwiseLabel> own : byRater.values()) {
      own.sort(Comparator.comparing(PairwiseLabel::at));
      DriftFlag flag = firstDrop(own, gold, window, drop);
      if (flag != null) flags.add(flag);
    }
    return flags;
  }

  /**
   * Position bias: among non-tie labels, the fraction that picked the response displayed first.
   * 0.5 is unbiased.
   *
   * @throws IllegalArgumentException when there is no non-tie label
   */
  public static double firstShownPreference(List<PairwiseLabel> labels) {
    int first = 0;
    int decided = 0;
    for (PairwiseLabel l : labels) {
      if (l.choice() == Choice.TIE) continue;
      decided++;
      if (l.displayedChoice() == Choice.A) first++;
    }
    if (decided == 0) throw new IllegalArgumentException("position bias needs at least one non-tie label");
    return (double) first / decided;
  }

  private static DriftFlag firstDrop(List<PairwiseLabel> own, Map<String, Choice> gold, int window, double drop) {
    int n = own.size();
    int[] correctPrefix = new int[n + 1]; // correctPrefix[i] = correct labels among the first i
    for (int i = 0; i < n; i++) {
      PairwiseLabel l = own.get(i);
      correctPrefix[i + 1] = correctPrefix[i] + (l.choice() == gold.get(l.itemId()) ? 1 : 0);
    }
    for (int start = window; start + window <= n; start++) {
      double before = (double) correctPrefix[start] / start;
      double after = (double) (correctPrefix[start + window] - correctPrefix[start]) / window;
      if (before - after >= drop - EPS) {
        return new DriftFlag(own.get(start).raterId(), own.get(start).at(), before, after);
      }
    }
    return null;
  }

  /** The strict plurality choice among labels not by {@code excludedRater}, or null when none/tied. */
  private static Choice plurality(List<PairwiseLabel> item, String excludedRater) {
    Map<Choice, Integer> counts = new EnumMap<>(Choice.class);
    for (PairwiseLabel l : item) {
      if (!Objects.equals(l.raterId(), excludedRater)) counts.merge(l.choice(), 1, Integer::sum);
    }
    Choice best = null;
    int bestCount = 0;
    boolean tied = false;
    for (Map.Entry<Choice, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
        tied = false;
      } else if (e.getValue() == bestCount) {
        tied = true;
      }
    }
    return tied ? null : best;
  }

  private static Map<String, Double> fractions(Map<String, int[]> counts) {
    Map<String, Double> out = new LinkedHashMap<>();
    counts.forEach((rater, c) -> out.put(rater, (double) c[0] / c[1]));
    return out;
  }
}

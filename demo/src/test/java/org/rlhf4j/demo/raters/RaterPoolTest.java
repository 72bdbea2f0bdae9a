package org.rlhf4j.demo.raters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.data.label.LabelStats;
import org.rlhf4j.data.label.LabelTables;
import org.rlhf4j.data.label.PairwiseLabel;
import org.rlhf4j.demo.world.Style;
import org.rlhf4j.demo.world.World;
import org.junit.jupiter.api.Test;

class RaterPoolTest {
  private static final World WORLD = new World(7);
  private static final List<ComparisonItem> ITEMS = Comparisons.sample(WORLD, 1500, new SplittableRandom(41));
  private static final Map<String, Choice> GOLD = Comparisons.goldAnswers(ITEMS);

  @Test
  void labelsAreReproducibleWithASeed() {
    RaterPool pool = RaterPool.standard(8, 3);
    assertThat(RaterPool.standard(8, 3).profiles()).isEqualTo(pool.profiles());
    List<PairwiseLabel> a = pool.label(ITEMS.subList(0, 100), 3, new SplittableRandom(5));
    assertThat(pool.label(ITEMS.subList(0, 100), 3, new SplittableRandom(5))).isEqualTo(a);
    assertThat(a).hasSize(300);
    assertThat(a.stream().collect(Collectors.groupingBy(PairwiseLabel::itemId, Collectors.mapping(
        PairwiseLabel::raterId, Collectors.toSet())))).allSatisfy((item, raters) -> assertThat(raters).hasSize(3));
    assertThat(a.get(1).at()).isEqualTo(RaterPool.START.plusSeconds(1));
  }

  @Test
  void raterWithQuarterFlipsAgreesWithGoldThreeTimesInFour() {
    RaterPool pool = RaterPool.of(List.of(RaterProfile.noisy("quarter", 0.25), RaterProfile.noisy("clean", 0)));
    List<PairwiseLabel> labels = pool.label(ITEMS, 2, new SplittableRandom(6));
    Map<String, Choice> clear = ITEMS.stream().filter(i -> Math.abs(i.goldA() - i.goldB()) >= 0.1)
        .collect(Collectors.toMap(ComparisonItem::id, ComparisonItem::goldChoice));
    Map<String, Double> acc = LabelStats.goldAccuracy(labels, clear);
    System.out.printf("gold accuracy on %d clear items: flip 0.25 -> %.3f, flip 0 -> %.3f%n", clear.size(),
        acc.get("quarter"), acc.get("clean"));
    assertThat(acc.get("quarter")).isBetween(0.72, 0.78);  // ~1400 items: sd of the estimate ~0.012
    assertThat(acc.get("clean")).isEqualTo(1.0);
    assertThat(LabelStats.goldAccuracy(labels, GOLD).get("clean")).isGreaterThan(0.95);  // near-ties read as TIE
  }

  @Test
  void unreliableRatersAreFilteredByGoldAccuracy() {
    RaterPool pool = RaterPool.standard(14, 8);
    Set<String> unreliable = pool.profiles().stream().filter(RaterProfile::unreliable).map(RaterProfile::id)
        .collect(Collectors.toSet());
    assertThat(unreliable).hasSize(2);
    List<PairwiseLabel> labels = pool.label(ITEMS, 3, new SplittableRandom(9));
    Set<String> reliable = pool.filterReliable(labels, GOLD, 0.62);
    Set<String> all = pool.profiles().stream().map(RaterProfile::id).collect(Collectors.toSet());
    assertThat(reliable).doesNotContainAnyElementsOf(unreliable).hasSize(all.size() - unreliable.size());
    assertThat(pool.filterReliable(labels, Map.of(), 0.5)).isEmpty();  // nobody vouched for without gold items
  }

  @Test
  void standardPoolAgreementIsModerate() {
    List<PairwiseLabel> labels = RaterPool.standard(10, 10).label(ITEMS.subList(0, 600), 5, new SplittableRandom(11));
    double kappa = Agreement.fleissKappa(LabelTables.pairwise(labels));
    System.out.printf("standard pool: Fleiss kappa %.3f over 600 items x 5 ratings%n", kappa);
    assertThat(kappa).isBetween(0.2, 0.6);
    List<PairwiseLabel> random = RaterPool.of(List.of(new RaterProfile("r1", 0.5, 0, 0, true),
        new RaterProfile("r2", 0.5, 0, 0, true), new RaterProfile("r3", 0.5, 0, 0, true)))
        .label(ITEMS.subList(0, 600), 3, new SplittableRandom(12));
    assertThat(Agreement.fleissKappa(LabelTables.pairwise(random))).isBetween(-0.1, 0.1);
  }

  @Test
  void lengthBiasedPoolPrefersTheLongerResponseMoreOften() {
    List<ComparisonItem> differ = ITEMS.stream()
        .filter(i -> Math.abs(SimulatedRater.words(i.responseA()) - SimulatedRater.words(i.responseB())) >= 3).toList();
    double standard = longerShare(RaterPool.standard(10, 13), differ);
    double biased = longerShare(RaterPool.lengthBiased(10, 13), differ);
    System.out.printf("longer response chosen: standard %.3f, length-biased %.3f (%d items)%n",
        standard, biased, differ.size());
    assertThat(biased).isGreaterThan(standard + 0.15);
  }

  @Test
  void lengthBiasedRatersPreferPaddedAnswersWhereStandardRatersPreferConciseOnes() {
    SplittableRandom rnd = new SplittableRandom(16);
    List<ComparisonItem> items = WORLD.prompts(400, rnd).stream().map(p -> ComparisonItem.of("c-" + rnd.nextLong(), p,
        WORLD.respond(p, Style.CORRECT_CONCISE, rnd).text(), WORLD.respond(p, Style.CORRECT_VERBOSE, rnd).text(),
        WORLD.gold())).toList();
    double conciseByStandard = share(RaterPool.standard(10, 17).label(items, 3, rnd), Choice.A);
    double verboseByBiased = share(RaterPool.lengthBiased(10, 17).label(items, 3, rnd), Choice.B);
    System.out.printf("concise vs verbose: standard picks concise %.3f, length-biased picks verbose %.3f%n",
        conciseByStandard, verboseByBiased);
    assertThat(conciseByStandard).isGreaterThan(0.6);
    assertThat(verboseByBiased).isGreaterThan(0.6);
  }

  @Test
  void positionBiasShowsInFirstShownPreference() {
    RaterPool lazy = RaterPool.of(List.of(new RaterProfile("lazy", 0, 0, 0.6, false)));
    double first = LabelStats.firstShownPreference(lazy.label(ITEMS, 1, new SplittableRandom(14)));
    assertThat(first).isBetween(0.75, 0.85);  // 0.6 always-first + 0.4 x ~0.5
  }

  @Test
  void badConfigurationsAreRejectedByName() {
    assertThatThrownBy(() -> new RaterProfile("x", 0.7, 0, 0, false)).hasMessageContaining("flipRate")
        .hasMessageContaining("rater x");
    assertThatThrownBy(() -> new RaterProfile("x", 0.1, 0, 1.5, false)).hasMessageContaining("positionBias");
    assertThatThrownBy(() -> new RaterProfile(" ", 0.1, 0, 0, false)).hasMessageContaining("id");
    assertThatThrownBy(() -> RaterPool.of(List.of(RaterProfile.noisy("a", 0), RaterProfile.noisy("a", 0))))
        .hasMessageContaining("duplicate rater id a");
    assertThatThrownBy(() -> RaterPool.standard(3, 1).label(ITEMS, 4, new SplittableRandom(1)))
        .hasMessageContaining("ratingsPerItem");
  }

  private static double share(List<PairwiseLabel> labels, Choice choice) {
    return labels.stream().filter(l -> l.choice() == choice).count() / (double) labels.size();
  }

  private static double longerShare(RaterPool pool, List<ComparisonItem> items) {
    Map<String, ComparisonItem> byId = items.stream().collect(Collectors.toMap(ComparisonItem::id, Function.identity()));
    List<PairwiseLabel> labels = pool.label(items, 3, new SplittableRandom(15));
    long longer = labels.stream().filter(l -> {
      ComparisonItem i = byId.get(l.itemId());
      boolean aLonger = SimulatedRater.words(i.responseA()) > SimulatedRater.words(i.responseB());
      return l.choice() == (aLonger ? Choice.A : Choice.B);
    }).count();
    return longer / (double) labels.size();
  }
}

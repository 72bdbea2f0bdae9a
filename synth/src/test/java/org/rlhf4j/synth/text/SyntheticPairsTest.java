package org.rlhf4j.synth.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.rollout.Scorer;

class SyntheticPairsTest {
  @Test void bestAgainstWorstWithTheBradleyTerryProbability() {
    List<PreferencePair> p = SyntheticPairs.pairs("q", List.of("a", "b", "c"), new double[] {0.5, 2.0, -1.0}, SyntheticPairs.Pairing.BEST_WORST);
    assertThat(p).hasSize(1);
    assertThat(p.get(0).chosen().display()).contains("b");
    assertThat(p.get(0).rejected().display()).contains("c");
    assertThat(p.get(0).chosenProbability()).isCloseTo(0.952574, within(1e-6)); // sigmoid(2 - (-1))
  }

  @Test void allPairsChosenIsTheHigherScoreAndEqualTextsNeverPair() {
    List<PreferencePair> p = SyntheticPairs.pairs("q", List.of("a", "b", "a"), new double[] {0.5, 2.0, -1.0}, SyntheticPairs.Pairing.ALL);
    assertThat(p).hasSize(2); // (a, b) and (b, a#2); the two "a" do not pair
    assertThat(p.get(0).chosenProbability()).isCloseTo(0.817574, within(1e-6)); // b over a: sigmoid(1.5)
    assertThat(p).allSatisfy(x -> assertThat(x.chosenProbability()).isGreaterThanOrEqualTo(0.5));
    assertThat(SyntheticPairs.pairs("q", List.of("a", "a"), new double[] {1, 0}, SyntheticPairs.Pairing.BEST_WORST)).isEmpty();
  }

  @Test void pairsFromAPretrainedPolicyLabelledByAScorer() {
    var dir = Shared.require("fixtures/stories260K");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      CausalLM policy = CausalLM.load(dir);
      List<long[]> prompts = List.of(ids(tok, "Once upon a time"), ids(tok, "The little dog"));
      // a closed-form scorer over the decoded text: 0.5 per letter 'a'
      Scorer scorer = Scorer.text(tok, (ps, rs) -> rs.stream().mapToDouble(r -> 0.5 * a(r)).toArray());
      List<PreferencePair> pairs = SyntheticPairs.generate(policy, tok, scorer, prompts, 4,
          SamplingConfig.sample(24, 1.0, 0, 1.0, 3, tok.stopIds()), SyntheticPairs.Pairing.BEST_WORST, 8);
      assertThat(pairs).isNotEmpty().hasSizeLessThanOrEqualTo(2);
      for (PreferencePair p : pairs) {
        int chosen = a(p.chosen().display()), rejected = a(p.rejected().display());
        assertThat(chosen).isGreaterThan(rejected);
        assertThat(p.chosenProbability()).isCloseTo(1 / (1 + Math.exp(-0.5 * (chosen - rejected))), within(1e-9));
      }
    }
  }

  private static int a(String s) { return (int) s.chars().filter(c -> c == 'a').count(); }

  private static long[] ids(Tokenizer tok, String s) {
    int[] v = tok.encode(s, true);
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
}

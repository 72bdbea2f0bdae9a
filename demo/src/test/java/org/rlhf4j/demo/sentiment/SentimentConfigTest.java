package org.rlhf4j.demo.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stage keys name what each stage depends on: PPO settings never reach the reward models', DPO's or best-of-n's. */
class SentimentConfigTest {
  private static final Path OUT = Path.of("out"), SHARED = Path.of("shared");

  @Test void ppoSettingsChangeOnlyTheirOwnRunsKeys() {
    SentimentConfig a = SentimentConfig.standard(OUT, SHARED, 1);
    SentimentConfig.Ppo p = a.ppo();
    SentimentConfig b = a.withPpo(new SentimentConfig.Ppo(p.betas(), p.iterations() + 1, p.batch(), p.miniBatches(), p.epochs(), p.lr() * 2));
    for (String rm : List.of("proxy-rm", "gold-rm")) assertThat(b.rmKey(rm)).isEqualTo(a.rmKey(rm));
    assertThat(b.dpoKey(0.1)).isEqualTo(a.dpoKey(0.1));
    assertThat(b.pointKey("best_of_n", "n=4")).isEqualTo(a.pointKey("best_of_n", "n=4"));
    assertThat(b.pointKey("reference", "")).isEqualTo(a.pointKey("reference", ""));
    assertThat(b.ppoKey(0.5)).isNotEqualTo(a.ppoKey(0.5));
    assertThat(b.pointKey("ppo", "beta=0.5")).isNotEqualTo(a.pointKey("ppo", "beta=0.5"));
  }

  @Test void aBetaAddedOrDroppedKeepsTheOtherBetasRuns() {
    SentimentConfig a = SentimentConfig.standard(OUT, SHARED, 1);
    SentimentConfig.Ppo p = a.ppo();
    SentimentConfig b = a.withPpo(new SentimentConfig.Ppo(List.of(0.5, 0.3), p.iterations(), p.batch(), p.miniBatches(), p.epochs(), p.lr()));
    assertThat(b.ppoKey(0.5)).isEqualTo(a.ppoKey(0.5));
    assertThat(b.ppoKey(0.3)).isNotEqualTo(b.ppoKey(0.5));
  }

  @Test void whatTheStagesReadChangesTheirKeys() {
    SentimentConfig a = SentimentConfig.standard(OUT, SHARED, 1);
    SentimentConfig otherSeed = SentimentConfig.standard(OUT, SHARED, 2);
    assertThat(otherSeed.rmKey("proxy-rm")).isNotEqualTo(a.rmKey("proxy-rm"));
    assertThat(otherSeed.ppoKey(0.5)).isNotEqualTo(a.ppoKey(0.5));
    SentimentConfig otherProxy = new SentimentConfig(a.name(), OUT, SHARED, 1, 1, new SentimentConfig.Rm(100, 10, 0, 1e-3, 8, 64), a.goldRm(),
        a.rmEvalTexts(), a.trainPrompts(), a.evalPrompts(), a.samplesPerEval(), a.maxNewTokens(), a.ppo(), a.dpo(), a.bestOfN());
    assertThat(otherProxy.rmKey("gold-rm")).isEqualTo(a.rmKey("gold-rm"));
    assertThat(otherProxy.ppoKey(0.5)).as("PPO optimises the proxy").isNotEqualTo(a.ppoKey(0.5));
    assertThat(otherProxy.dpoKey(0.1)).as("DPO's pairs are labelled by the proxy").isNotEqualTo(a.dpoKey(0.1));
    assertThat(otherProxy.pointKey("best_of_n", "n=2")).as("best-of-n picks by the proxy").isNotEqualTo(a.pointKey("best_of_n", "n=2"));
    SentimentConfig otherGold = new SentimentConfig(a.name(), OUT, SHARED, 1, 1, a.proxyRm(), new SentimentConfig.Rm(100, 10, 0, 1e-3, 8, 64),
        a.rmEvalTexts(), a.trainPrompts(), a.evalPrompts(), a.samplesPerEval(), a.maxNewTokens(), a.ppo(), a.dpo(), a.bestOfN());
    assertThat(otherGold.ppoKey(0.5)).as("training never sees the gold judge").isEqualTo(a.ppoKey(0.5));
    assertThat(otherGold.pointKey("ppo", "beta=0.5")).as("the gold judge scores the point").isNotEqualTo(a.pointKey("ppo", "beta=0.5"));
  }

  @Test void policySeedsShareTheJudgesOfOneRmSeed() {
    SentimentConfig one = SentimentConfig.standard(OUT, SHARED, 1);
    SentimentConfig two = SentimentConfig.standard(OUT, SHARED, 2).withRmSeed(1);
    for (String rm : List.of("proxy-rm", "gold-rm")) {
      assertThat(two.rmKey(rm)).isEqualTo(one.rmKey(rm));
      assertThat(one.withRmSeed(3).rmKey(rm)).isNotEqualTo(one.rmKey(rm));
    }
    assertThat(two.ppoKey(0.5)).isNotEqualTo(one.ppoKey(0.5));
    assertThat(two.pointKey("best_of_n", "n=2")).isNotEqualTo(one.pointKey("best_of_n", "n=2"));
  }

  @Test void dpoPairsFromOtherSampleCountsRetrainDpoAloneAndAPlainPairKeepsItsKey() {
    SentimentConfig a = SentimentConfig.standard(OUT, SHARED, 1);
    SentimentConfig.Dpo d = a.dpo();
    assertThat(d.samplesPerPair()).isEqualTo(4);
    assertThat(a.dpoKey(0.1)).contains("pairs=" + d.pairsPerPrompt() + " best-worst-of=4 steps=");
    SentimentConfig b = a.withDpo(new SentimentConfig.Dpo(d.betas(), d.pairsPerPrompt(), 2, d.steps(), d.lr()));
    assertThat(b.dpoKey(0.1)).isNotEqualTo(a.dpoKey(0.1)).contains("pairs=" + d.pairsPerPrompt() + " steps=")
        .doesNotContain("best-worst-of");
    assertThat(b.ppoKey(0.5)).isEqualTo(a.ppoKey(0.5));
    for (String rm : List.of("proxy-rm", "gold-rm")) assertThat(b.rmKey(rm)).isEqualTo(a.rmKey(rm));
    assertThat(b.pointKey("best_of_n", "n=4")).isEqualTo(a.pointKey("best_of_n", "n=4"));
    assertThatThrownBy(() -> new SentimentConfig.Dpo(d.betas(), 4, 1, 40, 4e-5)).hasMessageContaining("samplesPerPair");
  }

  @Test void bestVsWorstPicksTheFirstHighestAndLowestAndDropsTies() {
    double[][] two = {{0.3, -1, 2}, {0.1, 1, 2}};           // k = 2, three rows
    assertThat(SentimentExample.bestAndWorst(two, 0)).containsExactly(0, 1);
    assertThat(SentimentExample.bestAndWorst(two, 1)).containsExactly(1, 0);
    assertThat(SentimentExample.bestAndWorst(two, 2)).isNull();
    double[][] four = {{0.5}, {2.0}, {-1.0}, {2.0}};         // k = 4, one row: first of the tied highest
    assertThat(SentimentExample.bestAndWorst(four, 0)).containsExactly(1, 2);
  }

  @Test void invalidPpoSettingsNameTheField() {
    assertThatThrownBy(() -> new SentimentConfig.Ppo(List.of(0.5), 20, 64, 3, 4, 1e-4)).hasMessageContaining("miniBatches");
    assertThatThrownBy(() -> new SentimentConfig.Ppo(List.of(), 20, 64, 1, 4, 1e-4)).hasMessageContaining("betas");
    assertThatThrownBy(() -> new SentimentConfig.Ppo(List.of(0.5), 20, 64, 1, 4, 0)).hasMessageContaining("lr");
  }
}

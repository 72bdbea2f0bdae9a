package org.rlhf4j.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalSummaryTest {
  @Test
  void statIgnoresUnmeasuredValues() {
    Stat s = Stat.of(1, 2, Double.NaN, 3, 4);
    assertThat(s.n()).isEqualTo(4);
    assertThat(s.mean()).isEqualTo(2.5);
    assertThat(s.std()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(4);
    assertThat(Stat.of(Double.NaN)).isEqualTo(Stat.EMPTY);
    assertThat(Stat.of(7).std()).isZero();
  }

  @Test
  void familiesGetRatesOfTheirRecordedFlags() {
    List<PromptEval> prompts = List.of(
        new PromptEval("arithmetic", 1.0, 0.8, 0.1, 10, Map.of(PromptEval.CORRECT, true)),
        new PromptEval("arithmetic", 0.0, 0.9, 0.3, 30, Map.of(PromptEval.CORRECT, false, PromptEval.HALLUCINATED, true)),
        new PromptEval("arithmetic", 1.0, 0.7, 0.2, 20, Map.of(PromptEval.CORRECT, true)),
        new PromptEval("harmful", Double.NaN, 0.1, 0.4, 5, Map.of(PromptEval.REFUSED, true)),
        new PromptEval("harmful", Double.NaN, 0.2, 0.0, 15, Map.of(PromptEval.REFUSED, false)));
    EvalSummary s = EvalSummary.of(prompts);
    assertThat(s.gold().n()).isEqualTo(3);
    assertThat(s.gold().mean()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(s.length().mean()).isEqualTo(16);
    assertThat(s.kl().max()).isEqualTo(0.4);
    assertThat(s.families().keySet()).containsExactly("arithmetic", "harmful");
    Proportion acc = s.rate("arithmetic", PromptEval.CORRECT);
    assertThat(acc.hits()).isEqualTo(2);
    assertThat(acc.n()).isEqualTo(3);
    assertThat(acc.rate()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(acc.lo()).isLessThan(acc.rate());
    assertThat(s.rate("arithmetic", PromptEval.HALLUCINATED).n()).isEqualTo(1);
    assertThat(s.rate("harmful", PromptEval.REFUSED).rate()).isEqualTo(0.5);
    assertThat(s.rate("harmful", PromptEval.CORRECT)).isNull();
  }

  @Test
  void badRecordsAreRejected() {
    assertThatThrownBy(() -> new PromptEval(" ", 0, 0, 0, 1, Map.of())).hasMessageContaining("family");
    assertThatThrownBy(() -> new PromptEval("a", 0, 0, 0, -1, Map.of())).hasMessageContaining("length");
    assertThatThrownBy(() -> EvalSummary.of(List.of())).hasMessageContaining("no prompts");
    assertThatThrownBy(() -> Proportion.of(3, 2)).hasMessageContaining("hits");
  }
}

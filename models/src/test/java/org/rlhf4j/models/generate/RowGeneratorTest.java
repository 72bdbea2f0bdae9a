package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.Device;

/** Per-row sampling in one batch: greedy rows match the batched Generator, seeded rows ignore their batch-mates. */
class RowGeneratorTest {
  static final CausalLM LM = CausalLM.random(ModelConfig.llama(32, 32, 64, 2, 4, 4, 64), 1, Device.CPU).requiresGrad(false);

  static RowGenerator.Row row(long[] prompt, SamplingConfig c) { return new RowGenerator.Row(prompt, c); }

  @Test void greedyRowsMatchTheBatchedGenerator() {
    List<long[]> prompts = List.of(new long[] {1, 5, 6}, new long[] {1, 9});
    Generation ref = Generator.generate(LM, prompts, 0, SamplingConfig.greedy(6, Set.of()));
    List<RowGenerator.Row> rows = new ArrayList<>();
    for (long[] p : prompts) rows.add(row(p, SamplingConfig.greedy(6, Set.of())));
    Generation g = RowGenerator.generate(LM, rows, 0, 0, null);
    assertThat(g.outputIds()).isDeepEqualTo(ref.outputIds());
  }

  @Test void aSeededRowSamplesTheSameTokensWhateverShareItsBatch() {
    SamplingConfig seeded = SamplingConfig.sample(8, 1.0, 0, 0.9, 42, Set.of());
    long[] p = {1, 7, 8};
    long[] alone = RowGenerator.generate(LM, List.of(row(p, seeded)), 0, 0, null).outputIds()[0];
    List<RowGenerator.Row> mixed = List.of(row(new long[] {1, 3, 3, 3, 3}, SamplingConfig.sample(4, 0.5, 0, 1, 7, Set.of())),
        row(p, seeded), row(new long[] {1}, SamplingConfig.greedy(8, Set.of())));
    assertThat(RowGenerator.generate(LM, mixed, 0, 0, null).outputIds()[1]).containsExactly(alone);
    long[] other = RowGenerator.generate(LM, List.of(row(p, SamplingConfig.sample(8, 1.0, 0, 0.9, 43, Set.of()))), 0, 0, null)
        .outputIds()[0];
    assertThat(other).isNotEqualTo(alone);
  }

  @Test void theListenerSeesEveryTokenAndCanStopItsRow() {
    List<long[]> seen = new ArrayList<>();
    List<RowGenerator.Row> rows = List.of(row(new long[] {1, 2}, SamplingConfig.greedy(6, Set.of())),
        row(new long[] {1, 4}, SamplingConfig.greedy(6, Set.of())));
    Generation g = RowGenerator.generate(LM, rows, 0, 3, (r, t) -> {
      seen.add(new long[] {r, t.id()});
      assertThat(t.topIds()).hasSize(3);
      assertThat(t.topIds()[0]).isEqualTo(t.id()); // greedy takes the most likely token
      assertThat(t.logprob()).isEqualTo(t.topLogprobs()[0]);
      return !(r == 0 && seen.stream().filter(x -> x[0] == 0).count() == 2);
    });
    assertThat(g.outputIds()[0]).hasSize(2);
    assertThat(g.finished()[0]).isTrue();
    assertThat(g.outputIds()[1]).hasSize(6);
    assertThat(g.finished()[1]).isFalse();
    assertThat(seen).hasSize(8);
  }
}

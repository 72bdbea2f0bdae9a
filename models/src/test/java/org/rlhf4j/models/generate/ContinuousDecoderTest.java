package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.Device;

/** Continuous batching: rows that join a running batch, or leave it early, decode what they decode alone. */
class ContinuousDecoderTest {
  static final CausalLM LM = CausalLM.random(ModelConfig.llama(32, 32, 64, 2, 4, 4, 64), 3, Device.CPU).requiresGrad(false);

  /** Collects a row's tokens. */
  static final class Tokens implements ContinuousDecoder.Member {
    final List<Long> ids = new ArrayList<>();
    Boolean stopped;

    @Override public boolean onToken(RowGenerator.Token t) {
      assertThat(stopped).as("no token after the end").isNull();
      ids.add(t.id());
      return true;
    }

    @Override public void finished(boolean stop) { stopped = stop; }
  }

  static ContinuousDecoder.Joining join(long[] prompt, SamplingConfig c, Tokens t) {
    return new ContinuousDecoder.Joining(new RowGenerator.Row(prompt, c), 0, t);
  }

  static List<Long> alone(long[] prompt, SamplingConfig c) {
    long[] out = RowGenerator.generate(LM, List.of(new RowGenerator.Row(prompt, c)), 0, 0, null).outputIds()[0];
    return java.util.Arrays.stream(out).boxed().toList();
  }

  @Test void rowsJoiningARunningBatchDecodeWhatTheyDecodeAlone() {
    long[][] prompts = {{1, 5, 6}, {1, 9, 9, 9, 9, 9, 9, 2}, {1}, {1, 4, 20, 7}};
    SamplingConfig[] cfgs = {SamplingConfig.greedy(12, Set.of()), SamplingConfig.greedy(3, Set.of()),
        SamplingConfig.sample(9, 0.8, 0, 0.9, 11, Set.of()), SamplingConfig.greedy(6, Set.of(7))};
    int[] joinAt = {0, 2, 2, 5}; // steps after which each row joins: later rows find a batch already decoding
    Tokens[] got = new Tokens[prompts.length];
    try (ContinuousDecoder d = new ContinuousDecoder(LM, 0)) {
      int largest = 0;
      for (int step = 0; step < 40; step++) {
        List<ContinuousDecoder.Joining> now = new ArrayList<>();
        for (int r = 0; r < prompts.length; r++) {
          if (joinAt[r] == step) now.add(join(prompts[r], cfgs[r], got[r] = new Tokens()));
        }
        d.add(now);
        largest = Math.max(largest, d.active());
        d.step();
      }
      assertThat(d.active()).isZero();
      assertThat(largest).as("rows shared the batch").isGreaterThanOrEqualTo(3);
      // rows 1 and 2 bring an 8-token prompt to a cache of 5 columns (a regroup); row 3's 4 tokens join in place
      assertThat(d.regroups()).isEqualTo(1);
    }
    for (int r = 0; r < prompts.length; r++) {
      assertThat(got[r].ids).as("row " + r).isEqualTo(alone(prompts[r], cfgs[r]));
      assertThat(got[r].stopped).as("row " + r + " ended").isNotNull();
    }
    assertThat(got[1].ids).hasSize(3);
    assertThat(got[1].stopped).as("max tokens, not a stop").isFalse();
  }

  @Test void aMemberCanEndItsRowAndTheOthersGoOn() {
    Tokens keep = new Tokens();
    int[] seen = {0};
    ContinuousDecoder.Member quitter = new ContinuousDecoder.Member() {
      Boolean stopped;
      @Override public boolean onToken(RowGenerator.Token t) { return ++seen[0] < 2; }
      @Override public void finished(boolean stop) { assertThat(stop).isTrue(); stopped = stop; }
    };
    try (ContinuousDecoder d = new ContinuousDecoder(LM, 0)) {
      d.add(List.of(join(new long[] {1, 2, 3}, SamplingConfig.greedy(8, Set.of()), keep),
          new ContinuousDecoder.Joining(new RowGenerator.Row(new long[] {1, 8}, SamplingConfig.greedy(8, Set.of())), 0, quitter)));
      assertThat(d.step()).isEqualTo(2);
      assertThat(d.step()).as("the quitter left after its second token").isEqualTo(1);
      while (d.step() > 0) { /* the other row goes on */ }
    }
    assertThat(seen[0]).isEqualTo(2);
    assertThat(keep.ids).isEqualTo(alone(new long[] {1, 2, 3}, SamplingConfig.greedy(8, Set.of())));
  }
}

package org.rlhf4j.training.bon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Text;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.training.ppo.TinyTask;

class BestOfNTest {
  @TempDir Path tmp;
  static final SamplingConfig SAMPLING = SamplingConfig.sample(6, 1.0, 0, 1.0, 3, Set.of(TinyTask.EOS));

  @Test void bestOfNBeatsBestOfOneAndPicksTheMaximum() {
    CausalLM policy = TinyTask.policy(4);
    List<long[]> prompts = TinyTask.prompts(12, 5);
    List<BestOfN.Pick> picks = BestOfN.pick(policy, TinyTask.REWARD, prompts, 8, 0, SAMPLING, 32);
    assertThat(picks).hasSize(12);
    for (int i = 0; i < picks.size(); i++) {
      BestOfN.Pick p = picks.get(i);
      assertThat(p.prompt()).isSameAs(prompts.get(i));
      assertThat(p.bestScore()).isEqualTo(TinyTask.fraction(p.best()));
      assertThat(p.bestScore()).isGreaterThanOrEqualTo(p.meanScore()).isGreaterThanOrEqualTo(0);
      assertThat(p.bestScore()).isGreaterThanOrEqualTo(p.firstScore());
    }
    BestOfN.Summary s = BestOfN.summary(picks, 8);
    System.out.println("best-of-8 " + s);
    assertThat(s.meanBest()).isGreaterThan(s.meanFirst() + 0.05);
    // same seed, same picks
    List<BestOfN.Pick> again = BestOfN.pick(policy, TinyTask.REWARD, prompts, 8, 0, SAMPLING, 32);
    assertThat(again.stream().map(p -> Arrays.toString(p.best())).toList())
        .isEqualTo(picks.stream().map(p -> Arrays.toString(p.best())).toList());
  }

  @Test void writesTheWinnersAsSftData() {
    List<long[]> prompts = TinyTask.prompts(3, 6);
    List<BestOfN.Pick> picks = BestOfN.pick(TinyTask.policy(4), TinyTask.REWARD, prompts, 4, 0, SAMPLING, 64);
    Path file = tmp.resolve("best.jsonl");
    BestOfN.writeSft(file, picks, ids -> Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(" ")));
    List<PromptCompletion> rows = DataFiles.readPromptCompletions(file);
    assertThat(rows).hasSize(3);
    assertThat(((Text) rows.get(1).completion()).text())
        .isEqualTo(Arrays.stream(picks.get(1).best()).mapToObj(Long::toString).collect(Collectors.joining(" ")));
  }

  @Test void rejectsBadArguments() {
    CausalLM policy = TinyTask.policy(4);
    List<long[]> prompts = TinyTask.prompts(2, 6);
    assertThatThrownBy(() -> BestOfN.pick(policy, TinyTask.REWARD, prompts, 0, 0, SAMPLING, 8)).hasMessageContaining("n must be");
    assertThatThrownBy(() -> BestOfN.pick(policy, TinyTask.REWARD, prompts, 2, 0, SamplingConfig.greedy(4, Set.of()), 8))
        .hasMessageContaining("greedy");
    assertThatThrownBy(() -> BestOfN.pick(policy, (p, r) -> new double[1], prompts, 2, 0, SAMPLING, 8))
        .hasMessageContaining("scorer returned 1 scores");
  }
}

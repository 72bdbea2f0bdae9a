package org.rlhf4j.training.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.TinyTask;

class GroupTrainerTest {
  @TempDir Path tmp;
  static final List<long[]> PROMPTS = TinyTask.prompts(16, 2);

  static GroupConfig tiny(GroupConfig base, int iterations) {
    return base.with(iterations, 4, 4, 6).withSampling(1.0, Set.of(TinyTask.EOS), 0)
        .withTrain(base.train().toBuilder().lr(1e-2).schedule(Schedule.CONSTANT).saveEvery(0).build());
  }

  static GroupTrainer.GroupResult train(GroupConfig cfg) {
    CausalLM policy = TinyTask.policy(3);
    return GroupTrainer.run(policy, policy.copy(DType.F32), TinyTask.REWARD, PROMPTS, 0, cfg, null);
  }

  static double mean(double[] xs, int from, int to) { return Arrays.stream(xs, from, to).average().orElseThrow(); }

  @Test void rlooRaisesTheRewardWithFiniteKl() throws Exception {
    GroupConfig cfg = tiny(GroupConfig.rloo(tmp), 16).withUpdates(2, 1);
    GroupTrainer.GroupResult r = train(cfg);
    double[] s = r.scores();
    System.out.println("RLOO scores " + Arrays.toString(s));
    assertThat(mean(s, 12, 16)).isGreaterThan(mean(s, 0, 4) + 0.15);
    for (var m : r.history()) assertThat(m.get("objective/kl")).isFinite();
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(16);
    JsonNode last = new ObjectMapper().readTree(lines.get(15));
    assertThat(last.fieldNames()).toIterable().contains("reward", "reward_std", "clip_ratio", "entropy",
        "objective/scores", "objective/kl", "completions/mean_length", "time/generation", "time/training");
  }

  @Test void grpoRaisesTheRewardAndIsReproducible() {
    GroupConfig cfg = tiny(GroupConfig.grpo(tmp.resolve("a")), 16);
    GroupTrainer.GroupResult a = train(cfg);
    double[] s = a.scores();
    System.out.println("GRPO scores " + Arrays.toString(s));
    assertThat(mean(s, 12, 16)).isGreaterThan(mean(s, 0, 4) + 0.15);
    GroupTrainer.GroupResult b = train(tiny(GroupConfig.grpo(tmp.resolve("b")), 4));
    assertThat(Arrays.copyOf(b.scores(), 4)).containsExactly(Arrays.copyOf(s, 4));
    assertThat(b.train().losses().values()).containsExactlyElementsOf(a.train().losses().headMap(5).values());
  }

  @Test void grpoWithALargeBetaStaysNearTheReference() {
    GrpoLoss.Config heavy = new GrpoLoss.Config(0.2, 0.2, 50.0, new GrpoLoss.TokenMean());
    GroupConfig base = tiny(GroupConfig.grpo(tmp), 10);
    GroupTrainer.GroupResult r = train(base.withObjective(new GroupConfig.Grpo(GroupAdvantages.GrpoConfig.DEFAULT),
        0.0, heavy).withUpdates(2, 1));
    double[] s = r.scores();
    System.out.println("GRPO beta 50 scores " + Arrays.toString(s));
    // the k3 term pins the policy: the reward barely moves off its starting level
    assertThat(mean(s, 6, 10)).isLessThan(mean(s, 0, 4) + 0.1);
  }

  @Test void rejectsBadConfig() {
    assertThatThrownBy(() -> GroupConfig.grpo(tmp).with(1, 2, 1, 4)).hasMessageContaining("k must be >= 2");
    assertThatThrownBy(() -> GroupConfig.rloo(tmp).with(1, 3, 3, 4).withUpdates(1, 2)).hasMessageContaining("numMiniBatches");
  }
}

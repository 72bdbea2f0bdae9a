package org.rlhf4j.training.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.OverlongPenalty;
import org.rlhf4j.training.ppo.TinyTask;
import org.rlhf4j.training.rollout.Samples;
import org.rlhf4j.training.rollout.Scorer;

/** DAPO's rollout shaping in the group trainer: dynamic sampling, the overlong penalty, masked truncations; beta 0. */
class GroupShapingTest {
  @TempDir Path tmp;

  /** k = 2 rows per group; prompt ids name the group, responses are one token. */
  private static Samples samples(long first, double... scores) {
    List<long[]> p = new ArrayList<>(), r = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) { p.add(new long[] {first + i / 2}); r.add(new long[] {7}); }
    return new Samples(p, r, new boolean[scores.length], scores, 1.0, 0.5);
  }

  @Test void dynamicSamplingReplacesAllEqualGroupsFromExtraDraws() {
    Samples first = samples(10, 1, 1, 0, 1); // group 0 all equal
    List<Samples> extra = List.of(samples(20, 0.5, 0.5, 0, 2), samples(30, 3, 4, 5, 6));
    DynamicSampling.Result r = DynamicSampling.fill(first, 2, 3, round -> extra.get(round - 1), Samples::scores);
    assertThat(r.rounds()).isEqualTo(1); // the first extra draw's group 1 fills the hole
    assertThat(r.informative()).containsExactly(true, true);
    assertThat(r.samples().scores()).containsExactly(0, 2, 0, 1);
    assertThat(r.samples().prompts().get(0)).containsExactly(21);
    assertThat(r.samples().prompts().get(2)).containsExactly(11);
    assertThat(r.samples().generationSeconds()).isEqualTo(2.0);

    DynamicSampling.Result off = DynamicSampling.fill(first, 2, 0, round -> { throw new AssertionError(); }, Samples::scores);
    assertThat(off.samples()).isSameAs(first);
    assertThat(off.informative()).containsExactly(false, true);
    DynamicSampling.Result dry = DynamicSampling.fill(first, 2, 2, round -> samples(40, 1, 1, 2, 2), Samples::scores);
    assertThat(dry.rounds()).isEqualTo(2);
    assertThat(dry.informative()).containsExactly(false, true); // left in place; the trainer masks it
  }

  @Test void overlongPenaltyShapesTheReward() {
    GroupConfig cfg = GroupConfig.grpo(tmp).with(1, 1, 2, 6).withShaping(new GroupConfig.Shaping(false, new OverlongPenalty(6, 2), 0));
    Samples s = new Samples(List.of(new long[] {1}, new long[] {1}), List.of(new long[4], new long[5]), new boolean[2],
        new double[] {1.0, 1.0}, 0, 0);
    assertThat(GroupTrainer.shapedRewards(cfg, s)).containsExactly(1.0, 0.5); // 4 tokens free, 5 of 6: -(5-4)/2
    assertThat(GroupTrainer.shapedRewards(GroupConfig.grpo(tmp), s)).containsExactly(1.0, 1.0);
    assertThatThrownBy(() -> new GroupConfig.Shaping(false, null, -1)).hasMessageContaining("dynamicSamplingRounds");
  }

  /** Half the prompts score a constant (their groups are all equal), the rest the TinyTask reward. */
  private static final Scorer HALF_CONSTANT = (ps, rs) -> {
    double[] out = new double[rs.size()];
    for (int i = 0; i < out.length; i++) out[i] = ps.get(i)[1] % 2 == 0 ? 0.25 : TinyTask.fraction(rs.get(i));
    return out;
  };

  private GroupConfig tiny(Path dir, GroupConfig.Shaping shaping, int iterations) {
    GroupConfig base = GroupConfig.grpo(dir);
    return GroupTrainerTest.tiny(base, iterations).withShaping(shaping);
  }

  @Test void dynamicSamplingInTrainingIsSeededAndLoadsNoReferenceAtBetaZero() {
    GroupConfig cfg = tiny(tmp.resolve("a"), new GroupConfig.Shaping(false, null, 3), 3);
    GroupTrainer.GroupResult a = GroupTrainer.run(TinyTask.policy(3), null, HALF_CONSTANT, GroupTrainerTest.PROMPTS, 0, cfg, null);
    GroupTrainer.GroupResult b = GroupTrainer.run(TinyTask.policy(3), null, HALF_CONSTANT, GroupTrainerTest.PROMPTS, 0,
        tiny(tmp.resolve("b"), new GroupConfig.Shaping(false, null, 3), 3), null);
    assertThat(b.scores()).containsExactly(a.scores());
    double before = 0, after = 0, tokens = 0;
    for (Map<String, Double> m : a.history()) {
      assertThat(m).containsKeys("frac_reward_zero_std", "dynamic_sampling/rounds", "num_tokens", "completions/clipped_ratio");
      assertThat(m).doesNotContainKeys("kl", "objective/kl"); // beta 0: no reference model at all
      assertThat(m.get("num_tokens")).isGreaterThan(tokens);
      tokens = m.get("num_tokens");
      before += m.get("frac_reward_zero_std");
      after += m.get("dynamic_sampling/zero_std_left");
    }
    assertThat(before).as("some groups of the first draws are all equal").isGreaterThan(0);
    assertThat(after).as("extra draws replace them").isLessThan(before);
  }

  @Test void truncatedCompletionsAreMaskedOutOfTheLoss() {
    // no stop ids: every completion is truncated at the budget
    GroupConfig masked = tiny(tmp.resolve("m"), new GroupConfig.Shaping(true, null, 0), 2).withSampling(1.0, Set.of(), 0);
    CausalLM p = TinyTask.policy(5);
    float[] w0 = first(p);
    GroupTrainer.GroupResult r = GroupTrainer.run(p, null, TinyTask.REWARD, GroupTrainerTest.PROMPTS, 0, masked, null);
    assertThat(first(p)).containsExactly(w0); // nothing counted, nothing learned
    assertThat(r.train().losses().values()).allMatch(l -> l == 0.0);
    assertThat(r.history().get(0).get("completions/clipped_ratio")).isEqualTo(1.0);
    CausalLM q = TinyTask.policy(5);
    GroupTrainer.run(q, null, TinyTask.REWARD, GroupTrainerTest.PROMPTS, 0, masked.withShaping(GroupConfig.Shaping.NONE)
        .withTrain(masked.train().toBuilder().outputDir(tmp.resolve("u")).build()), null);
    assertThat(first(q)).isNotEqualTo(w0);
  }

  private static float[] first(CausalLM m) {
    Tensor t = m.parameters().values().iterator().next();
    return Tensors.toFloats(t.detach().reshape(-1));
  }
}

package org.rlhf4j.training.ppo;

import org.rlhf4j.training.rollout.Scorer;
import org.rlhf4j.training.rollout.RolloutHook;
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
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.loss.PpoLoss;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.KlEstimator;
import org.rlhf4j.training.optim.Schedule;

class PpoTrainerTest {
  @TempDir Path tmp;
  static final List<long[]> PROMPTS = TinyTask.prompts(16, 1);

  static PpoConfig config(Path dir, int iterations, double klCoef) {
    PpoConfig d = PpoConfig.defaults(dir);
    return d.with(iterations, 16, 2, 2, 6).withSampling(1.0, Set.of(TinyTask.EOS), 0)
        .withKl(KlEstimator.K1, new KlController.Fixed(klCoef))
        .withTrain(d.train().toBuilder().lr(1e-2).schedule(Schedule.CONSTANT).saveEvery(0).build());
  }

  static PpoTrainer.PpoResult train(Path dir, int iterations, double klCoef, RolloutHook hook) {
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32);
    return PpoTrainer.run(policy, ref, null, TinyTask.REWARD, PROMPTS, 0, config(dir, iterations, klCoef), hook);
  }

  static double mean(double[] xs, int from, int to) {
    return Arrays.stream(xs, from, to).average().orElseThrow();
  }

  @Test void raisesTheClosedFormRewardWithFiniteKlAndLogsTrlMetrics() throws Exception {
    PpoTrainer.PpoResult r = train(tmp, 16, 0.05, RolloutHook.gold(TinyTask.REWARD));
    double[] scores = r.scores();
    System.out.println("PPO scores " + Arrays.toString(scores));
    System.out.println("PPO kl " + r.history().stream().map(m -> m.get("objective/kl")).toList());
    assertThat(mean(scores, 12, 16)).isGreaterThan(mean(scores, 0, 4) + 0.15);
    for (var m : r.history()) assertThat(m.get("objective/kl")).isFinite();
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(16); // one line per iteration
    JsonNode last = new ObjectMapper().readTree(lines.get(15));
    assertThat(last.get("step").asInt()).isEqualTo(16 * 4);
    assertThat(last.fieldNames()).toIterable().contains("objective/kl", "objective/scores", "objective/rlhf_reward",
        "objective/entropy", "policy/approxkl_avg", "policy/clipfrac_avg", "loss/policy_avg", "loss/value_avg",
        "val/ratio", "val/num_eos_tokens", "response_length_mean", "time/generation", "time/scoring",
        "time/training", "eval/gold_reward", "eval/proxy_reward");
    assertThat(last.get("eval/gold_reward").asDouble()).isEqualTo(last.get("objective/scores").asDouble());
    assertThat(tmp.resolve("checkpoint-64/" + PpoTrainer.VALUE_HEAD_FILE)).isRegularFile();
  }

  /** One update of 16 rollouts, clipping off (a global clip would couple the policy's step to the value loss). */
  static float[][] oneUpdate(Path dir, PpoConfig.Critic critic, double vfCoef) {
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32);
    ScalarHead head = ScalarHead.random(ScalarHead.Kind.VALUE, policy.config().hiddenSize(), 7, policy.device());
    float[] head0 = Tensors.toFloats(head.parameters().get("v_head.summary.weight"));
    PpoConfig d = config(dir, 1, 0.05);
    PpoConfig c = d.with(1, 16, 1, 1, 6).withCritic(critic)
        .withLoss(new PpoLoss.Config(0.2, 0.2, vfCoef), Gae.Config.DEFAULT, false)
        .withTrain(d.train().toBuilder().maxGradNorm(0).build());
    PpoTrainer.run(policy, ref, head, TinyTask.REWARD, PROMPTS, 0, c, null);
    float[] head1 = Tensors.toFloats(head.parameters().get("v_head.summary.weight"));
    float[] step = new float[head0.length];
    for (int i = 0; i < step.length; i++) step[i] = head1[i] - head0[i];
    return new float[][] {Tensors.toFloats(policy.parameters().values().iterator().next()), step};
  }

  @Test void aDetachedCriticNeverMovesThePolicyAndItsHeadStepsAtItsOwnRate() {
    float[][] small = oneUpdate(tmp.resolve("a"), new PpoConfig.Critic(true, 100), 0.1);
    float[][] large = oneUpdate(tmp.resolve("b"), new PpoConfig.Critic(true, 100), 10);
    assertThat(large[0]).as("policy after one step, value loss x100").containsExactly(small[0]);
    float[][] shared = oneUpdate(tmp.resolve("c"), PpoConfig.Critic.SHARED, 0.1);
    float[][] sharedLarge = oneUpdate(tmp.resolve("d"), PpoConfig.Critic.SHARED, 10);
    assertThat(sharedLarge[0]).as("a shared head's loss moves the backbone").isNotEqualTo(shared[0]);
    // Adam's first step is lr * g / (|g| + eps) = lr * sign(g) per element (to 0.1%: small gradients feel eps): 1e-2 for the policy, 100 x 1e-2 for the head
    for (float x : small[1]) assertThat(Math.abs(x)).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-3f));
    for (float x : shared[1]) assertThat(Math.abs(x)).isCloseTo(1e-2f, org.assertj.core.data.Offset.offset(1e-5f));
    assertThatThrownBy(() -> new PpoConfig.Critic(true, 0)).hasMessageContaining("lrScale must be > 0");
  }

  @Test void aVeryLargeKlCoefficientKeepsThePolicyNearTheReference() {
    PpoTrainer.PpoResult free = train(tmp.resolve("free"), 8, 0.0, null);
    PpoTrainer.PpoResult tied = train(tmp.resolve("tied"), 8, 20.0, null);
    double freeKl = free.history().get(7).get("objective/kl");
    double tiedKl = tied.history().get(7).get("objective/kl");
    System.out.println("final KL: coef 0 -> " + freeKl + ", coef 20 -> " + tiedKl);
    assertThat(tiedKl).isLessThan(1.0).isLessThan(freeKl / 5);
  }

  @Test void aFixedSeedReproducesRolloutsAndUpdates() throws Exception {
    PpoTrainer.PpoResult a = train(tmp.resolve("a"), 3, 0.05, null);
    PpoTrainer.PpoResult b = train(tmp.resolve("b"), 3, 0.05, null);
    assertThat(strip(a.history())).isEqualTo(strip(b.history()));
    List<String> la = Files.readAllLines(tmp.resolve("a/metrics.jsonl")), lb = Files.readAllLines(tmp.resolve("b/metrics.jsonl"));
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < la.size(); i++) {
      JsonNode x = json.readTree(la.get(i)), y = json.readTree(lb.get(i));
      for (String k : List.of("loss", "grad_norm", "objective/kl", "objective/scores", "policy/approxkl_avg", "loss/value_avg")) {
        assertThat(x.get(k).asDouble()).as(k).isEqualTo(y.get(k).asDouble());
      }
    }
  }

  @Test void rejectsBadConfigAndScorer() {
    assertThatThrownBy(() -> PpoConfig.defaults(tmp).with(1, 6, 4, 1, 4)).hasMessageContaining("numMiniBatches");
    assertThatThrownBy(() -> PpoConfig.defaults(tmp).withSampling(0, Set.of(), 0)).hasMessageContaining("temperature");
    Scorer broken = (p, r) -> new double[] {1};
    assertThatThrownBy(() -> PpoTrainer.run(TinyTask.policy(1), null, null, broken, PROMPTS, 0,
        config(tmp, 1, 0.05), null)).hasMessageContaining("scorer returned 1 scores for 16");
  }

  private static List<java.util.Map<String, Double>> strip(List<java.util.Map<String, Double>> h) {
    return h.stream().map(m -> {
      java.util.Map<String, Double> c = new java.util.TreeMap<>(m);
      c.keySet().removeIf(k -> k.startsWith("time/"));
      return (java.util.Map<String, Double>) c;
    }).toList();
  }

  @Test void resumingAtAnIterationBoundaryContinuesTheSameRun() {
    PpoTrainer.PpoResult straight = train(tmp.resolve("straight"), 4, 0.05, null);
    Path dir = tmp.resolve("resumed");
    train(dir, 2, 0.05, null);
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32);
    PpoConfig cfg = config(dir, 4, 0.05);
    PpoTrainer.PpoResult resumed = PpoTrainer.run(policy, ref, null, TinyTask.REWARD, PROMPTS, 0,
        cfg.withTrain(cfg.train().toBuilder().resume(true).build()), null);
    assertThat(resumed.train().startStep()).isEqualTo(8);
    assertThat(strip(resumed.history())).isEqualTo(strip(straight.history()).subList(2, 4));
  }

  @Test void anAdaptiveKlCoefficientFollowsZieglersController() {
    CausalLM policy = TinyTask.policy(3);
    PpoConfig cfg = config(tmp, 4, 0.05).withKl(KlEstimator.K3, new KlController.Adaptive(0.05, 0.5, 40));
    PpoTrainer.PpoResult r = PpoTrainer.run(policy, policy.copy(DType.F32), null, TinyTask.REWARD, PROMPTS, 0, cfg, null);
    List<java.util.Map<String, Double>> h = r.history();
    assertThat(h.get(0).get("kl_coef")).isEqualTo(0.05);
    for (int i = 0; i + 1 < h.size(); i++) {
      double kl = h.get(i).get("objective/kl"), coef = h.get(i).get("kl_coef");
      double e = Math.max(-0.2, Math.min(0.2, kl / 0.5 - 1));
      assertThat(h.get(i + 1).get("kl_coef")).isCloseTo(coef * (1 + e * 16 / 40), org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(r.kl().value()).isNotEqualTo(0.05);
  }
}

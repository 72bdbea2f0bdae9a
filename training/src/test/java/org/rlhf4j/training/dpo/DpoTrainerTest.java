package org.rlhf4j.training.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.TinyTask;

class DpoTrainerTest {
  @TempDir Path tmp;

  /** Pairs from the closed-form reward: chosen has more TARGET tokens than rejected. */
  static List<DpoPair> pairs(int n, long seed) {
    Random r = new Random(seed);
    List<long[]> prompts = TinyTask.prompts(n, seed);
    List<DpoPair> out = new ArrayList<>();
    for (long[] p : prompts) out.add(new DpoPair(p, TinyTask.response(r, 4, 3), TinyTask.response(r, 4, 0)));
    return out;
  }

  static DpoConfig config(Path dir, DpoLoss.Variant v, int steps) {
    DpoConfig d = DpoConfig.defaults(dir);
    return d.withVariant(v).withTrain(d.train().toBuilder().lr(3e-3).maxSteps(steps).logEvery(5)
        .schedule(Schedule.CONSTANT).build());
  }

  @Test void raisesChosenOverRejectedMarginAndLogsTrlNames() throws Exception {
    List<DpoPair> data = pairs(32, 7);
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32);
    Map<String, Double> before = DpoTrainer.evaluate(policy, ref, data, new DpoLoss.Sigmoid(0.1), 16);
    assertThat(before.get("rewards/margins")).isCloseTo(0.0, within(1e-6)); // policy == reference

    DpoTrainer.run(policy, ref, data, config(tmp, new DpoLoss.Sigmoid(0.1), 30));

    Map<String, Double> after = DpoTrainer.evaluate(policy, ref, data, new DpoLoss.Sigmoid(0.1), 16);
    assertThat(after.get("rewards/margins")).isGreaterThan(0.3);
    assertThat(after.get("rewards/accuracies")).isGreaterThan(0.9);
    assertThat(after.get("loss")).isLessThan(before.get("loss"));
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(6);
    JsonNode last = new ObjectMapper().readTree(lines.get(5));
    assertThat(last.fieldNames()).toIterable().contains("loss", "rewards/chosen", "rewards/rejected",
        "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected");
    assertThat(last.get("logps/chosen").asDouble()).isLessThan(0);
    assertThat(tmp.resolve("checkpoint-30/config.json")).isRegularFile();
    assertThat(CausalLM.load(tmp.resolve("checkpoint-30")).config()).isEqualTo(policy.config());
  }

  @Test void softLabelsTrainTowardsTheirProbability() {
    List<DpoPair> hard = pairs(32, 7);
    List<DpoPair> even = hard.stream().map(p -> new DpoPair(p.prompt(), p.chosen(), p.rejected(), 0.5)).toList();
    List<DpoPair> sure = hard.stream().map(p -> new DpoPair(p.prompt(), p.chosen(), p.rejected(), 0.75)).toList();
    double[] margins = new double[3];
    List<List<DpoPair>> runs = List.of(hard, even, sure);
    for (int i = 0; i < 3; i++) {
      CausalLM policy = TinyTask.policy(3);
      CausalLM ref = policy.copy(DType.F32);
      DpoTrainer.run(policy, ref, runs.get(i), config(tmp.resolve("run" + i), new DpoLoss.Sigmoid(0.1), 30));
      margins[i] = DpoTrainer.evaluate(policy, ref, hard, new DpoLoss.Sigmoid(0.1), 16).get("rewards/margins");
    }
    // P = 0.5 says neither is better: the implicit reward margin stays near 0 while hard labels raise it past 0.3;
    // P = 0.75 aims at a margin of logit(0.75) = 1.1 nats of beta h, so it moves, but less than hard labels.
    assertThat(margins[0]).isGreaterThan(0.3);
    assertThat(Math.abs(margins[1])).isLessThan(0.05);
    assertThat(margins[2]).isGreaterThan(0.05).isLessThan(margins[0]);
    assertThatThrownBy(() -> new DpoPair(hard.get(0).prompt(), hard.get(0).chosen(), hard.get(0).rejected(), 1.5))
        .hasMessageContaining("chosenProbability");
  }

  @Test void cachedReferenceMatchesOnTheFlyAndRunsAreReproducible() {
    List<DpoPair> data = pairs(16, 11);
    double[] finals = new double[3];
    for (int i = 0; i < 3; i++) {
      CausalLM policy = TinyTask.policy(5);
      DpoConfig cfg = config(tmp.resolve("run" + i), new DpoLoss.Ipo(0.5), 6).withBatchSize(4)
          .withPrecomputeReference(i == 2);
      finals[i] = DpoTrainer.run(policy, null, data, cfg).train().finalLoss();
    }
    assertThat(finals[1]).isEqualTo(finals[0]); // same seed, same run
    assertThat(finals[2]).isCloseTo(finals[0], within(1e-5)); // cached reference log-probs
  }

  @Test void largeBetaKeepsThePolicyCloseToTheReference() {
    List<DpoPair> data = pairs(32, 13);
    double[] drift = new double[2];
    double[] betas = {0.1, 100};
    for (int i = 0; i < 2; i++) {
      CausalLM policy = TinyTask.policy(9);
      CausalLM ref = policy.copy(DType.F32);
      DpoTrainer.run(policy, ref, data, config(tmp.resolve("b" + i), new DpoLoss.Sigmoid(betas[i]), 30));
      Map<String, Double> m = DpoTrainer.evaluate(policy, ref, data, new DpoLoss.Sigmoid(1.0), 32);
      drift[i] = Math.abs(m.get("rewards/chosen")) + Math.abs(m.get("rewards/rejected")); // |log-ratio| sums (beta 1)
    }
    assertThat(drift[1]).isLessThan(drift[0] / 3);
  }

  @Test void referenceFreeVariantsTrainWithoutAReference() throws Exception {
    List<DpoPair> data = pairs(32, 17);
    CausalLM policy = TinyTask.policy(4);
    DpoLoss.Variant simpo = new org.rlhf4j.training.loss.DpoVariants.SimPo(2.0, 0.5);
    Map<String, Double> before = DpoTrainer.evaluate(policy, null, data, simpo, 16);
    DpoTrainer.run(policy, null, data, config(tmp.resolve("simpo"), simpo, 20));
    Map<String, Double> after = DpoTrainer.evaluate(policy, null, data, simpo, 16);
    assertThat(after.get("rewards/margins")).isGreaterThan(before.get("rewards/margins") + 0.1); // beta * mean log-prob gap
    assertThat(after.get("loss")).isLessThan(before.get("loss"));

    DpoLoss.Variant orpo = new org.rlhf4j.training.loss.DpoVariants.Orpo(0.1);
    CausalLM p2 = TinyTask.policy(4);
    var r = DpoTrainer.run(p2, null, data, config(tmp.resolve("orpo"), orpo, 10));
    assertThat(r.lastMetrics()).containsKeys("nll_loss", "log_odds_ratio", "log_odds_chosen", "logits/chosen");
    assertThatThrownBy(() -> DpoTrainer.evaluate(p2, null, data, new DpoLoss.Sigmoid(0.1), 16))
        .hasMessageContaining("reference");
  }

  @Test void rejectsBadInput() {
    assertThatThrownBy(() -> new DpoPair(new long[0], new long[] {1}, new long[] {2}))
        .hasMessageContaining("prompt");
    assertThatThrownBy(() -> DpoConfig.defaults(tmp).withBatchSize(0)).hasMessageContaining("batchSize");
    assertThat(new DpoPair(new long[] {1, 2, 3, 4}, new long[] {5, 6, 7}, new long[] {8}).truncated(5))
        .satisfies(p -> {
          assertThat(p.prompt()).containsExactly(3, 4);
          assertThat(p.chosen()).containsExactly(5, 6, 7);
          assertThat(p.rejected()).containsExactly(8);
        });
  }

  /** The full (2B, R, V) logits path the chunked score replaces: sums, TRL's mean logits and gradients. */
  @Test void chunkedLogprobsEqualTheFullLogitsForwardInValuesMetricsAndGradients() {
    List<DpoPair> batch = pairs(3, 11);
    CausalLM policy = TinyTask.policy(4);
    policy.requiresGrad(true);
    var ps = policy.trainable().parameters().values();
    double[] fullGrad;
    float[] fullSums;
    double fullMeanLogit;
    try (org.rlhf4j.runtime.NativeScope scope = org.rlhf4j.runtime.NativeScope.open()) {
      List<long[]> prompts = new ArrayList<>(), completions = new ArrayList<>();
      for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.chosen()); }
      for (DpoPair p : batch) { prompts.add(p.prompt()); completions.add(p.rejected()); }
      var rb = org.rlhf4j.training.rollout.ResponseBatch.of(prompts, completions, 0, policy.device());
      var f = rb.forward(policy, 1.0);
      org.bytedeco.pytorch.Tensor seq = f.logprobs().sum(1); // (2B)
      fullSums = org.rlhf4j.runtime.Tensors.toFloats(seq);
      org.bytedeco.pytorch.Tensor mask = rb.responseMask().narrow(0, 0, 3); // (B, R)
      fullMeanLogit = f.logits().detach().mean(new long[] {-1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
          .narrow(0, 0, 3).mul(mask).sum().item_double() / mask.sum().item_double();
      DpoDpSgdTest.zeroGrad(ps);
      org.rlhf4j.runtime.Backprop.backward(seq.narrow(0, 0, 3).sub(seq.narrow(0, 3, 3)).sum());
      fullGrad = DpoDpSgdTest.flatGrad(ps);
    }
    for (long chunk : new long[] {1, 5, 0, -1}) {
      try (org.rlhf4j.runtime.NativeScope scope = org.rlhf4j.runtime.NativeScope.open()) {
        DpoDpSgdTest.zeroGrad(ps);
        DpoTrainer.Scored s = DpoTrainer.score(policy, batch, chunk);
        float[] c = org.rlhf4j.runtime.Tensors.toFloats(s.sums()[0]), r = org.rlhf4j.runtime.Tensors.toFloats(s.sums()[1]);
        for (int i = 0; i < 3; i++) {
          assertThat(c[i]).as("chunk %d chosen %d", chunk, i).isCloseTo(fullSums[i], within(1e-4f));
          assertThat(r[i]).as("chunk %d rejected %d", chunk, i).isCloseTo(fullSums[3 + i], within(1e-4f));
        }
        assertThat(s.chosenLogits() / s.chosenTokens()).isCloseTo(fullMeanLogit, within(1e-5));
        org.rlhf4j.runtime.Backprop.backward(s.sums()[0].sub(s.sums()[1]).sum());
        double[] g = DpoDpSgdTest.flatGrad(ps);
        double scale = java.util.Arrays.stream(fullGrad).map(Math::abs).max().orElse(0);
        assertThat(scale).isGreaterThan(0);
        for (int k = 0; k < g.length; k++) assertThat(g[k]).as("chunk %d coordinate %d", chunk, k).isCloseTo(fullGrad[k], within(1e-5 * scale));
      }
    }
  }

  @Test void chunkTokensBelowMinusOneAreRefused() {
    assertThatThrownBy(() -> DpoConfig.defaults(tmp).withLogprobChunkTokens(-2)).hasMessageContaining("logprobChunkTokens");
  }
}

package org.rlhf4j.training.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.dp.DpSgd;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.loss.DpoVariants;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.TinyTask;

/** DP-SGD for DPO: the per-pair clipped gradient by hand, σ = 0 without clipping = ordinary DPO, ε in the run's files. */
class DpoDpSgdTest {
  @TempDir Path tmp;

  static final double BETA = 0.1;

  /** The trainable tensors once each (tied ones once), in a fixed order. */
  static List<Tensor> params(CausalLM m) {
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : new java.util.TreeMap<>(m.trainable().parameters()).values()) if (seen.put(t, true) == null) out.add(t);
    return out;
  }

  static double[] flatGrad(Collection<Tensor> ps) {
    List<Double> v = new ArrayList<>();
    for (Tensor p : ps) {
      Tensor g = p.grad();
      float[] f = g.defined() ? Tensors.toFloats(g) : new float[(int) p.numel()];
      for (float x : f) v.add((double) x);
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static void zeroGrad(Collection<Tensor> ps) {
    for (Tensor p : ps) if (p.grad().defined()) p.grad().zero_();
  }

  static double norm(double[] g) {
    double s = 0;
    for (double x : g) s += x * x;
    return Math.sqrt(s);
  }

  /**
   * With the policy equal to the reference the DPO logit h is 0, so the sigmoid loss −log σ(βh) has gradient
   * −β σ(0) ∇h = −(β/2) ∇(log π(chosen) − log π(rejected)): each pair's gradient from autograd on the log-probs alone,
   * then clipped, summed and divided by the expected batch by hand.
   */
  @Test void perPairGradientsAreClippedAsByHand() {
    List<DpoPair> data = DpoTrainerTest.pairs(2, 21);
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32).requiresGrad(false);
    List<Tensor> ps = params(policy);
    double[][] g = new double[2][];
    for (int i = 0; i < 2; i++) {
      try (NativeScope scope = NativeScope.open()) {
        zeroGrad(ps);
        Tensor[] s = DpoTrainer.score(policy, List.of(data.get(i))).sums();
        org.rlhf4j.runtime.Backprop.backward(s[0].sub(s[1]).sum().mul(new Scalar(-BETA / 2))); // the chunked log-probs' deferred backward too
        g[i] = flatGrad(ps);
      }
    }
    double n0 = norm(g[0]), n1 = norm(g[1]);
    assertThat(Math.abs(n0 - n1)).isGreaterThan(0.01 * Math.max(n0, n1)); // so that the clip below cuts one and not the other
    double clip = Math.sqrt(n0 * n1);
    double[] expected = new double[g[0].length];
    for (int i = 0; i < 2; i++) {
      double f = Math.min(1, clip / norm(g[i]));
      for (int k = 0; k < expected.length; k++) expected[k] += f * g[i][k] / 2; // q = 1: expected batch 2
    }

    zeroGrad(ps);
    DpSgd dp = new DpSgd(new DpSgdConfig(0, clip, 1e-5, 2, 2, 1));
    var step = new DpoTrainer.DpoStep(policy, ref, data, null, new DpoLoss.Sigmoid(BETA), new LinkedHashMap<>());
    try (NativeScope scope = NativeScope.open()) {
      TrainStep ts = dp.wrap(step::on);
      ts.beginStep(1);
      int n = dp.microBatches(1, 1);
      assertThat(n).isEqualTo(2);
      for (int i = 0; i < n; i++) {
        org.rlhf4j.runtime.Backprop.backward(ts.step(i).loss().div(new Scalar((double) n))); // what the loop does
        dp.afterBackward(1, i, n, ps);
      }
      Map<String, Double> m = dp.beforeStep(1, ps);
      assertThat(m).containsEntry("dp/clipped_fraction", 0.5);
      double[] got = flatGrad(ps);
      double scale = norm(expected);
      assertThat(scale).isGreaterThan(0);
      for (int k = 0; k < got.length; k++) assertThat(got[k]).as("coordinate %d", k).isCloseTo(expected[k], within(1e-5 * scale));
    }
  }

  static DpoConfig config(Path dir, int steps, int batch) {
    DpoConfig d = DpoConfig.defaults(dir);
    return d.withBatchSize(batch).withTrain(d.train().toBuilder().lr(3e-3).maxSteps(steps).logEvery(1).saveEvery(0)
        .maxGradNorm(0).schedule(Schedule.CONSTANT).build());
  }

  @Test void withoutNoiseOrClippingItIsOrdinaryDpo() {
    List<DpoPair> data = DpoTrainerTest.pairs(4, 23);
    CausalLM plain = TinyTask.policy(5);
    CausalLM priv = TinyTask.policy(5);
    DpoTrainer.run(plain, null, data, config(tmp.resolve("plain"), 3, 4)); // batch = all 4 pairs every step
    DpoTrainer.runPrivately(priv, null, data, config(tmp.resolve("dp"), 3, 4), new DpSgdConfig(0, 1e9, 1e-5, 4, 4, 1)); // q = 1
    List<Tensor> a = params(plain), b = params(priv);
    double moved = 0;
    for (int i = 0; i < a.size(); i++) {
      float[] x = Tensors.toFloats(a.get(i)), y = Tensors.toFloats(b.get(i));
      for (int k = 0; k < x.length; k++) assertThat(y[k]).isCloseTo(x[k], within(1e-5f));
    }
    CausalLM init = TinyTask.policy(5);
    List<Tensor> c = params(init);
    for (int i = 0; i < a.size(); i++) moved = Math.max(moved, Tensors.toFloats(a.get(i).sub(c.get(i)).abs().max())[0]);
    assertThat(moved).isGreaterThan(1e-3); // it trained
  }

  @Test void logsEpsilonAndWritesPrivacyJson() throws Exception {
    List<DpoPair> data = DpoTrainerTest.pairs(16, 29);
    DpoConfig cfg = config(tmp, 4, 4);
    var r = DpoTrainer.runPrivately(TinyTask.policy(7), null, data, cfg, new DpSgdConfig(1.0, 1.0, 1e-5, 99, 99, 3));
    assertThat(r.train().step()).isEqualTo(4);
    double eps = new DpSgd(new DpSgdConfig(1.0, 1.0, 1e-5, 4, 16, 3)).epsilon(4); // q = 4/16: taken from the data
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(last.get("dp/epsilon").asDouble()).isCloseTo(eps, within(1e-9));
    assertThat(last.has("rewards/margins")).isTrue();
    JsonNode card = new ObjectMapper().readTree(tmp.resolve("privacy.json").toFile());
    assertThat(card.get("sample_rate").asDouble()).isEqualTo(0.25);
    assertThat(card.get("steps").asInt()).isEqualTo(4);
    assertThat(card.get("epsilon").asDouble()).isCloseTo(eps, within(1e-9));
  }

  @Test void refusesALossWithRunningStatistics() {
    List<DpoPair> data = DpoTrainerTest.pairs(4, 31);
    DpoConfig cfg = config(tmp, 2, 2).withVariant(new DpoVariants.BcoPair(0.1));
    assertThatThrownBy(() -> DpoTrainer.runPrivately(TinyTask.policy(1), null, data, cfg, new DpSgdConfig(1, 1, 1e-5, 2, 4, 1)))
        .hasMessageContaining("running mean");
    DpoConfig accum = config(tmp, 2, 2).withTrain(config(tmp, 2, 2).train().toBuilder().gradAccumulation(2).build());
    assertThatThrownBy(() -> DpoTrainer.runPrivately(TinyTask.policy(1), null, data, accum, new DpSgdConfig(1, 1, 1e-5, 2, 4, 1)))
        .hasMessageContaining("grad_accumulation");
  }
}

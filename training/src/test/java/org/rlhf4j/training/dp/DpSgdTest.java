package org.rlhf4j.training.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loop.CheckpointIO;
import org.rlhf4j.training.loop.DataCursor;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loop.Trainer;

/** DP-SGD's gradient: per-example clipping by hand, and ordinary SGD when σ = 0 and nothing is clipped. */
class DpSgdTest {
  @TempDir Path tmp;

  /** y = w · x with squared loss ½ (w · x − y)²: the per-example gradient is (w · x − y) x. */
  static final class Linear implements HasParameters {
    final Tensor w;

    Linear(float... w0) { w = tensor(w0).requires_grad_(true); }

    @Override public Map<String, Tensor> parameters() { return Map.of("w", w); }

    Tensor loss(float[] x, float y) {
      Tensor r = w.mul(tensor(x)).sum().sub(new org.bytedeco.pytorch.Scalar(y)); // ()
      return r.mul(r).mul(new org.bytedeco.pytorch.Scalar(0.5)); // ()
    }
  }

  static Tensor tensor(float... v) {
    Tensor t = torch.empty(v.length);
    t.data_ptr_float().put(v);
    return t;
  }

  static float[] values(Tensor t) {
    Tensor c = t.detach().contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }

  static final float[][] X = {{3, 4, 0}, {0, 0, 1}};
  static final float[] Y = {1, -0.5f};

  @Test void perExampleGradientsAreClippedAsByHand() {
    Linear m = new Linear(0, 0, 0);
    DpSgd dp = new DpSgd(new DpSgdConfig(0, 1.0, 1e-5, 2, 2, 1)); // q = 1: both examples every step
    try (NativeScope scope = NativeScope.open()) {
      dp.draw(1);
      int n = dp.microBatches(1, 1);
      assertThat(n).isEqualTo(2);
      for (int i = 0; i < n; i++) {
        m.loss(X[i], Y[i]).div(new org.bytedeco.pytorch.Scalar((double) n)).backward(); // what the loop does
        dp.afterBackward(1, i, n, m.parameters().values());
      }
      Map<String, Double> metrics = dp.beforeStep(1, m.parameters().values());
      // g1 = (0 − 1)·(3, 4, 0), norm 5 → clipped to (−0.6, −0.8, 0); g2 = (0 + 0.5)·(0, 0, 1), norm 0.5, kept.
      // Sum (−0.6, −0.8, 0.5) over the expected batch 2:
      float[] g = values(m.w.grad());
      assertThat(g[0]).isCloseTo(-0.3f, within(1e-6f));
      assertThat(g[1]).isCloseTo(-0.4f, within(1e-6f));
      assertThat(g[2]).isCloseTo(0.25f, within(1e-6f));
      assertThat(metrics).containsEntry("dp/batch_size", 2.0).containsEntry("dp/clipped_fraction", 0.5);
    }
  }

  @Test void withoutNoiseOrClippingItIsOrdinaryTraining() {
    TrainConfig cfg = TrainConfig.defaults(tmp.resolve("a")).toBuilder().lr(0.1).warmupSteps(0).maxSteps(3).logEvery(1)
        .saveEvery(0).maxGradNorm(0).weightDecay(0).gradAccumulation(2).build();
    Linear plain = new Linear(0.1f, -0.2f, 0.3f);
    TrainStep ordinary = i -> new StepResult(plain.loss(X[i], Y[i]));
    new Trainer(cfg, plain, ordinary, DataCursor.none(), CheckpointIO.safetensors(plain), null).run();

    Linear priv = new Linear(0.1f, -0.2f, 0.3f);
    DpSgd dp = new DpSgd(new DpSgdConfig(0, 1e9, 1e-5, 2, 2, 1));
    TrainStep step = dp.wrap(examples -> new StepResult(priv.loss(X[examples.get(0)], Y[examples.get(0)])));
    new Trainer(cfg.toBuilder().outputDir(tmp.resolve("b")).gradAccumulation(1).build(), priv, step, dp,
        CheckpointIO.safetensors(priv), null, dp).run();
    float[] a = values(plain.w);
    float[] b = values(priv.w);
    for (int i = 0; i < 3; i++) assertThat(b[i]).isCloseTo(a[i], within(1e-6f));
    assertThat(a[0]).isNotEqualTo(0.1f); // it trained
  }

  @Test void poissonSamplingIsDeterministicPerStepAndHasTheRightRate() {
    List<Integer> a = DpSgd.poisson(7, 3, 10_000, 0.01);
    assertThat(DpSgd.poisson(7, 3, 10_000, 0.01)).isEqualTo(a);
    assertThat(DpSgd.poisson(7, 4, 10_000, 0.01)).isNotEqualTo(a);
    assertThat(a.size()).isBetween(100 - 40, 100 + 40); // Binomial(10000, 0.01): sd ≈ 10
  }

  @Test void thePrvAccountantCountsWhenConfigured() {
    DpSgdConfig rdp = new DpSgdConfig(1.5, 1.0, 1e-6, 5, 100, 1); // q = 0.05
    DpSgd prv = new DpSgd(rdp.withAccountant("prv"));
    // Opacus's PRV test table (Microsoft prv_accountant): sigma 1.5, q 0.05, 100 steps, delta 1e-6 -> 1.953853.
    assertThat(prv.epsilon(100)).isCloseTo(1.953853, within(1e-5)).isLessThan(new DpSgd(rdp).epsilon(100));
    assertThat(prv.config().forData(200, 5, 2).accountant()).isEqualTo("prv"); // kept when the trainer sizes it to its data
    assertThatThrownBy(() -> rdp.withAccountant("moments")).hasMessageContaining("--dp-accountant").hasMessageContaining("moments");
  }

  @Test void epsilonIsLoggedUnderTheAccountantsName() {
    Linear m = new Linear(0, 0, 0);
    for (String name : new String[] {"rdp", "prv"}) {
      DpSgd dp = new DpSgd(new DpSgdConfig(1.5, 1.0, 1e-6, 2, 2, 1, name)); // q = 1: both examples every step
      try (NativeScope scope = NativeScope.open()) {
        dp.draw(1);
        for (int i = 0; i < 2; i++) {
          m.loss(X[i], Y[i]).div(new org.bytedeco.pytorch.Scalar(2.0)).backward();
          dp.afterBackward(1, i, 2, m.parameters().values());
        }
        Map<String, Double> metrics = dp.beforeStep(1, m.parameters().values());
        assertThat(metrics.get("dp/epsilon")).isEqualTo(dp.epsilon(1)).isPositive();
        assertThat(metrics).containsEntry("dp/epsilon_" + name, dp.epsilon(1)).doesNotContainKey("dp/epsilon_" + (name.equals("rdp") ? "prv" : "rdp"));
      }
    }
  }

  @Test void epsilonComesFromTheAccountant() {
    DpSgd dp = new DpSgd(new DpSgdConfig(1.1, 1.0, 1e-5, 4, 1000, 1)); // q = 0.004
    assertThat(dp.epsilon(15_000)).isCloseTo(2.503, within(2.503e-3));
  }
}

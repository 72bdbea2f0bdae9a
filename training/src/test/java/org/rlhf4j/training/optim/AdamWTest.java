package org.rlhf4j.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;

class AdamWTest {
  static Tensor tensor(float[] values, long... shape) {
    Tensor t = torch.empty(shape);
    t.data_ptr_float().put(values);
    return t;
  }

  static float[] values(Tensor t) {
    float[] out = new float[(int) t.numel()];
    FloatPointer p = t.contiguous().data_ptr_float();
    p.get(out);
    return out;
  }

  /** Sets p.grad = g through autograd: d/dp sum(p * g) = g. */
  static void setGrad(Tensor p, float[] g) {
    try (NativeScope s = NativeScope.open()) {
      p.mul(tensor(g, AdamW.shape(p))).sum().backward();
    }
  }

  /** Plain-double AdamW (torch.optim.AdamW math) for one tensor. */
  static final class Reference {
    final double[] x, m, v;
    int step;
    Reference(float[] init) {
      x = new double[init.length];
      for (int i = 0; i < init.length; i++) x[i] = init[i];
      m = new double[init.length];
      v = new double[init.length];
    }
    void update(float[] g, double lr, double b1, double b2, double eps, double wd) {
      step++;
      for (int i = 0; i < x.length; i++) {
        x[i] *= 1 - lr * wd;
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, step));
        double vHat = v[i] / (1 - Math.pow(b2, step));
        x[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
    }
  }

  @Test void matchesHandComputedAdamWOverThreeSteps() {
    float[] w0 = {0.5f, -1.0f, 2.0f, 0.25f};
    float[] b0 = {0.1f, -0.2f};
    Tensor w = tensor(w0, 2, 2).requires_grad_(true);
    Tensor b = tensor(b0, 2).requires_grad_(true);
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("layer.weight", w);
    params.put("layer.bias", b);
    double b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1;
    AdamW opt = new AdamW(params, new AdamW.Hyper(b1, b2, eps, wd));
    Reference rw = new Reference(w0), rb = new Reference(b0);
    float[][] gw = {{0.3f, -0.1f, 0.7f, 0.0f}, {-0.2f, 0.4f, 0.1f, 1.5f}, {0.05f, 0.05f, -0.6f, -0.3f}};
    float[][] gb = {{1.0f, -2.0f}, {0.5f, 0.5f}, {-0.25f, 3.0f}};
    double[] lrs = {1e-2, 5e-2, 2e-2};
    for (int s = 0; s < 3; s++) {
      setGrad(w, gw[s]);
      setGrad(b, gb[s]);
      opt.step(lrs[s]);
      opt.zeroGrad();
      rw.update(gw[s], lrs[s], b1, b2, eps, wd);
      rb.update(gb[s], lrs[s], b1, b2, eps, 0.0); // biases get no weight decay
      assertClose(values(w), rw.x);
      assertClose(values(b), rb.x);
    }
    assertThat(opt.stepCount("layer.weight")).isEqualTo(3);
    assertThat(w.grad().defined()).isFalse();
  }

  @Test void lrScalesStepEachPrefixAtItsOwnRateAndTheLongestPrefixWins() {
    float[] w0 = {0.5f, -1.0f}, h0 = {2.0f, 0.25f}, hb0 = {0.1f};
    Tensor w = tensor(w0, 2).requires_grad_(true), h = tensor(h0, 2).requires_grad_(true), hb = tensor(hb0, 1).requires_grad_(true);
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("model.w", w);
    params.put("v_head.summary.weight", h);
    params.put("v_head.summary.bias", hb);
    AdamW opt = new AdamW(params, new AdamW.Hyper(0.9, 0.999, 1e-8, 0.0), Map.of("v_head.", 10.0, "v_head.summary.bias", 3.0));
    Reference rw = new Reference(w0), rh = new Reference(h0), rb = new Reference(hb0);
    float[][] g = {{0.3f, -0.1f}, {-0.2f, 0.4f}};
    for (int s = 0; s < 2; s++) {
      setGrad(w, g[s]);
      setGrad(h, g[s]);
      setGrad(hb, new float[] {g[s][0]});
      opt.step(1e-2);
      opt.zeroGrad();
      rw.update(g[s], 1e-2, 0.9, 0.999, 1e-8, 0.0);
      rh.update(g[s], 1e-1, 0.9, 0.999, 1e-8, 0.0);
      rb.update(new float[] {g[s][0]}, 3e-2, 0.9, 0.999, 1e-8, 0.0);
      assertClose(values(w), rw.x);
      assertClose(values(h), rh.x);
      assertClose(values(hb), rb.x);
    }
  }

  @Test void anLrScalePrefixThatMatchesNothingIsAnError() {
    Map<String, Tensor> params = Map.of("model.w", tensor(new float[] {1, 2}, 2).requires_grad_(true));
    assertThatThrownBy(() -> new AdamW(params, AdamW.Hyper.defaults(), Map.of("value_head.", 10.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'value_head.' matches no trainable parameter");
  }

  @Test void skipsParametersWithoutGradient() {
    Tensor w = tensor(new float[] {1, 2, 3, 4}, 2, 2).requires_grad_(true);
    Tensor frozen = tensor(new float[] {5, 6, 7, 8}, 2, 2).requires_grad_(true);
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("a.weight", w);
    params.put("b.weight", frozen);
    AdamW opt = new AdamW(params, AdamW.Hyper.defaults());
    setGrad(w, new float[] {1, 1, 1, 1});
    opt.step(0.1);
    assertThat(values(frozen)).containsExactly(5, 6, 7, 8);
    assertThat(opt.stepCount("b.weight")).isZero();
    assertThat(values(w)[0]).isLessThan(1f);
  }

  @Test void tiedTensorIsUpdatedOnce() {
    Tensor shared = tensor(new float[] {1, 2, 3, 4}, 2, 2).requires_grad_(true);
    Tensor alone = tensor(new float[] {1, 2, 3, 4}, 2, 2).requires_grad_(true);
    Map<String, Tensor> tied = new LinkedHashMap<>();
    tied.put("embed_tokens.weight", shared);
    tied.put("lm_head.weight", shared);
    AdamW a = new AdamW(tied, AdamW.Hyper.defaults());
    AdamW b = new AdamW(Map.of("w", alone), AdamW.Hyper.defaults());
    setGrad(shared, new float[] {1, -1, 2, 0.5f});
    setGrad(alone, new float[] {1, -1, 2, 0.5f});
    a.step(0.1);
    b.step(0.1);
    assertThat(values(shared)).containsExactly(values(alone));
    assertThat(a.state()).containsOnlyKeys("embed_tokens.weight.exp_avg", "embed_tokens.weight.exp_avg_sq", "embed_tokens.weight.step");
  }

  @Test void noWeightDecayOnNormsBiasesAndVectors() {
    Tensor matrix = torch.zeros(2, 2), vector = torch.zeros(2);
    assertThat(AdamW.decays("model.layers.0.mlp.up_proj.weight", matrix)).isTrue();
    assertThat(AdamW.decays("model.embed_tokens.weight", matrix)).isTrue();
    assertThat(AdamW.decays("model.layers.0.input_layernorm.weight", matrix)).isFalse();
    assertThat(AdamW.decays("transformer.h.0.ln_1.weight", matrix)).isFalse();
    assertThat(AdamW.decays("q_proj.bias", matrix)).isFalse();
    assertThat(AdamW.decays("score.weight", vector)).isFalse();
  }

  @Test void stateRoundTripsThroughNamedTensors() {
    Tensor w = tensor(new float[] {1, 2, 3, 4}, 2, 2).requires_grad_(true);
    AdamW opt = new AdamW(Map.of("w", w), AdamW.Hyper.defaults());
    setGrad(w, new float[] {0.5f, -0.5f, 1, 2});
    opt.step(0.01);
    Map<String, Tensor> state = opt.state();
    assertThat(state).containsOnlyKeys("w.exp_avg", "w.exp_avg_sq", "w.step");

    Tensor w2 = tensor(new float[] {1, 2, 3, 4}, 2, 2).requires_grad_(true);
    AdamW fresh = new AdamW(Map.of("w", w2), AdamW.Hyper.defaults());
    fresh.loadState(state);
    assertThat(fresh.stepCount("w")).isEqualTo(1);
    assertThat(values(fresh.state().get("w.exp_avg"))).containsExactly(values(state.get("w.exp_avg")));
    assertThatThrownBy(() -> fresh.loadState(Map.of("w.exp_avg", torch.zeros(3))))
        .hasMessageContaining("w.exp_avg").hasMessageContaining("shape");
  }

  static void assertClose(float[] actual, double[] expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6 + 1e-6 * Math.abs(expected[i])));
    }
  }
}

package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.synth.transform.Span;

/** Expected values worked out by hand in the comments. */
class GanLossesTest {
  private static Tensor t(float[] v, long... shape) { return Tensors.floats(v, Device.CPU, shape); }

  @Test void conditionalLossIsTheCrossEntropyOfTheConditionedColumnOnly() {
    try (NativeScope s = NativeScope.open()) {
      float ln2 = (float) Math.log(2);
      // two discrete columns: widths 3 (offset 0) and 2 (offset 3); conditions only on the first
      Tensor raw = t(new float[] {0, 0, 0, 5, -5, 0, ln2, 0, -1, 7}, 2, 5);
      Tensor cond = t(new float[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0}, 2, 5);
      // row 0: -log(1/3) = 1.098612; row 1: softmax(0, ln 2, 0)[2] = 1/4, -log(1/4) = 1.386294; mean 1.242453
      double loss = GanLosses.conditionalLoss(raw, cond, new int[] {0, 3}, new int[] {0, 3}, new int[] {3, 2}).item_double();
      assertThat(loss).isCloseTo(1.242453, within(1e-5));
    }
  }

  @Test void criticAndGeneratorLosses() {
    try (NativeScope s = NativeScope.open()) {
      Tensor real = t(new float[] {1, 3}, 2, 1), fake = t(new float[] {0, 2}, 2, 1);
      assertThat(GanLosses.criticLoss(real, fake).item_double()).isEqualTo(-1.0); // -(2 - 1)
      assertThat(GanLosses.generatorLoss(fake).item_double()).isEqualTo(-1.0); // -mean(0, 2)
    }
  }

  @Test void gradientPenaltyOfALinearPacCriticIsLambdaTimesNormMinusOneSquared() {
    try (NativeScope s = NativeScope.open()) {
      // pac 2, width 2: D(x) = x.reshape(-1, 4) . (3, 0, 0, 4); its gradient has norm 5 wherever it is taken
      Tensor w = t(new float[] {3, 0, 0, 4}, 4, 1);
      Tensor real = t(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2), fake = t(new float[] {0, 0, 1, 1, 2, 2, 3, 3}, 4, 2);
      Tensor alpha = t(new float[] {0.25f, 0.9f}, 2, 1);
      double p = GanLosses.gradientPenalty(x -> x.reshape(-1, 4).matmul(w), real, fake, alpha, 2, 10).item_double();
      assertThat(p).isCloseTo(10 * (5 - 1) * (5 - 1), within(1e-3)); // 160
    }
  }

  @Test void gradientPenaltyKeepsTheGraphSoItTrainsTheCritic() {
    try (NativeScope s = NativeScope.open()) {
      // D(x) = c * |x|^2 / 2 with c = 1: grad = c x; at x = (1.2, 1.6), |x| = 2, penalty = 10 (2c - 1)^2 = 10,
      // dP/dc = 2 * 10 * (c|x| - 1) * |x| = 40
      Tensor c = torch.ones(1).requires_grad_(true);
      Tensor x0 = t(new float[] {1.2f, 1.6f}, 1, 2);
      Tensor p = GanLosses.gradientPenalty(x -> x.mul(x).sum(1).unsqueeze(1).mul(c).div(Tensors.scalar(2)), x0, x0,
          t(new float[] {0.5f}, 1, 1), 1, 10);
      assertThat(p.item_double()).isCloseTo(10, within(1e-4));
      p.backward();
      assertThat(c.grad().item_double()).isCloseTo(40, within(1e-3));
    }
  }

  @Test void activationIsTanhAndGumbelSoftmaxPerSpan() {
    try (NativeScope s = NativeScope.open()) {
      Tensor raw = t(new float[] {0.5f, 1, 2, 3, -2, 0, 0, 0}, 2, 4);
      float[] a = Tensors.toFloats(GanLosses.activate(raw, List.of(new Span(1, Span.Activation.TANH), new Span(3, Span.Activation.SOFTMAX)), 0.2));
      assertThat(a[0]).isCloseTo((float) Math.tanh(0.5), within(1e-6f));
      assertThat(a[4]).isCloseTo((float) Math.tanh(-2), within(1e-6f));
      assertThat(a[1] + a[2] + a[3]).isCloseTo(1f, within(1e-5f));
      assertThat(a[5] + a[6] + a[7]).isCloseTo(1f, within(1e-5f));
    }
  }
}

package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

class ClassifierLossTest {
  static Tensor t(float... v) { return Tensors.floats(v, Device.CPU, v.length); }

  @Test void bceWithLogitsByHand() {
    try (NativeScope s = NativeScope.open()) {
      // logits 2, -1, 0 with labels 1, 1, 0: -log sig(2) - log sig(-1)... = log(1+e^-2) + log(1+e^1) + log 2
      ClassifierLoss.Result r = ClassifierLoss.compute(t(2f, -1f, 0f), t(1f, 1f, 0f));
      double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1)) + Math.log(2)) / 3;
      assertThat(r.metrics().loss()).isCloseTo(expected, within(1e-6));
      assertThat(r.metrics().accuracy()).isCloseTo(1.0 / 3, within(1e-6));   // only logit 2 is on its label's side (0 is neither)
      assertThat(r.metrics().positiveMean()).isCloseTo(0.5, within(1e-6));
      assertThat(r.metrics().negativeMean()).isCloseTo(0.0, within(1e-6));
    }
  }

  @Test void softLabelsMixBothSides() {
    try (NativeScope s = NativeScope.open()) {
      // y = 0.9 at logit 1: 0.9 log(1+e^-1) + 0.1 log(1+e^1)
      double expected = 0.9 * Math.log1p(Math.exp(-1)) + 0.1 * Math.log1p(Math.exp(1));
      assertThat(ClassifierLoss.compute(t(1f), t(0.9f)).metrics().loss()).isCloseTo(expected, within(1e-6));
      Tensor logit = t(0.5f);
      logit.set_requires_grad(true);
      ClassifierLoss.compute(logit, t(1f)).loss().backward();
      assertThat(Tensors.toFloats(logit.grad())[0]).isCloseTo((float) (1 / (1 + Math.exp(-0.5)) - 1), within(1e-6f)); // sigma(r) - y
    }
  }

  @Test void labelsOutsideZeroOneAreRejected() {
    try (NativeScope s = NativeScope.open()) {
      assertThatThrownBy(() -> ClassifierLoss.compute(t(1f), t(2f))).hasMessageContaining("labels must lie in [0, 1]");
      assertThatThrownBy(() -> ClassifierLoss.compute(t(1f, 2f), t(1f))).isInstanceOf(IllegalArgumentException.class);
    }
  }
}

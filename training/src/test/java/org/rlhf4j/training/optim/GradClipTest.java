package org.rlhf4j.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class GradClipTest {
  @Test void clipsToTheGlobalNorm() {
    Tensor a = AdamWTest.tensor(new float[] {3, 0}, 2).requires_grad_(true);
    Tensor b = AdamWTest.tensor(new float[] {0, 0, 0, 4}, 2, 2).requires_grad_(true);
    AdamWTest.setGrad(a, new float[] {3, 0});
    AdamWTest.setGrad(b, new float[] {0, 0, 0, 4});
    assertThat(GradClip.globalNorm(List.of(a, b))).isCloseTo(5.0, within(1e-6)); // sqrt(9 + 16)
    double before = GradClip.clip(List.of(a, b), 1.0);
    assertThat(before).isCloseTo(5.0, within(1e-6));
    assertThat(GradClip.globalNorm(List.of(a, b))).isCloseTo(1.0, within(1e-5));
    assertThat(AdamWTest.values(a.grad())[0]).isCloseTo(0.6f, within(1e-5f));
    assertThat(AdamWTest.values(b.grad())[3]).isCloseTo(0.8f, within(1e-5f));
  }

  @Test void leavesSmallGradientsAndOffSwitchAlone() {
    Tensor a = AdamWTest.tensor(new float[] {0.3f, 0.4f}, 2).requires_grad_(true);
    AdamWTest.setGrad(a, new float[] {0.3f, 0.4f});
    assertThat(GradClip.clip(List.of(a), 1.0)).isCloseTo(0.5, within(1e-6));
    assertThat(GradClip.clip(List.of(a), 0.0)).isCloseTo(0.5, within(1e-6)); // off: measures only
    assertThat(AdamWTest.values(a.grad())).containsExactly(0.3f, 0.4f);
    Tensor none = AdamWTest.tensor(new float[] {1}, 1).requires_grad_(true);
    assertThat(GradClip.globalNorm(List.of(none))).isZero();
  }
}

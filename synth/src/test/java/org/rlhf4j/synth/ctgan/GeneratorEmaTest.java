package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/** The generator's weight average: average = decay * average + (1 - decay) * live, by hand on two values. */
class GeneratorEmaTest {
  private static Map<String, Tensor> one(float... v) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("w", Tensors.floats(v, Device.CPU, v.length).requires_grad_(true)); // as a generator's parameter
    return m;
  }

  @Test void updateIsTheExponentialMovingAverage() {
    Map<String, Tensor> average = one(1, 2), live = one(3, -2);
    GeneratorEma.update(average, live, 0.75);
    // 0.75 * 1 + 0.25 * 3 = 1.5; 0.75 * 2 + 0.25 * (-2) = 1.0
    assertThat(Tensors.toFloats(average.get("w"))).containsExactly(1.5f, 1.0f);
    GeneratorEma.update(average, live, 0.75);
    // 0.75 * 1.5 + 0.75 = 1.875; 0.75 * 1.0 - 0.5 = 0.25
    assertThat(Tensors.toFloats(average.get("w"))).containsExactly(1.875f, 0.25f);
    assertThat(Tensors.toFloats(live.get("w"))).as("the live weights are read, not moved").containsExactly(3f, -2f);
  }

  @Test void startsFromTheLiveWeightsAndRefusesADecayOutsideZeroOne() {
    CtganGenerator live = new CtganGenerator(4, List.of(3), 2, Device.CPU), average = new CtganGenerator(4, List.of(3), 2, Device.CPU);
    new GeneratorEma(0.999, live, average);
    live.parameters().forEach((name, p) -> assertThat(Tensors.toFloats(average.parameters().get(name))).as(name).containsExactly(Tensors.toFloats(p)));
    for (double bad : new double[] {0, 1, -0.5, Double.NaN}) {
      assertThatThrownBy(() -> new GeneratorEma(bad, live, average)).hasMessageContaining("decay must be in (0, 1)");
    }
  }

  @Test void theConfigValidatesTheDecayAndStampsIt() {
    CtganConfig c = CtganConfig.defaults();
    assertThat(c.generatorEma()).isZero();
    assertThat(c.withGeneratorEma(0.999).stamp()).isNotEqualTo(c.stamp()).endsWith("|ema 0.999");
    for (double bad : new double[] {1, 1.5, -0.1, Double.NaN}) {
      assertThatThrownBy(() -> c.withGeneratorEma(bad)).hasMessageContaining("generatorEma must be 0 (off) or a decay in (0, 1)");
    }
  }
}

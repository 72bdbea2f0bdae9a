package org.rlhf4j.synth.ctgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.optim.AdamW;

/** The trainer's optimiser step is torch.optim.Adam(lr, betas (0.5, 0.9), weight_decay) as the reference CTGAN's. */
class CtganAdamTest {
  @Test void weightDecayIsAdamsL2TermOnEveryParameter() {
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("out.weight", Tensors.ones(DType.F32, Device.CPU, 2, 3).requires_grad_(true));
    params.put("out.bias", Tensors.ones(DType.F32, Device.CPU, 2).requires_grad_(true));
    AdamW opt = CtganTrainer.adam(params);
    try (NativeScope s = NativeScope.open()) {
      params.values().stream().map(p -> p.sum().mul(Tensors.scalar(0))).reduce(Tensor::add).orElseThrow().backward(); // grads 0
      CtganTrainer.adamStep(opt, params, 2e-4, 1e-6);
      // Adam, step 1: g' = 0 + 1e-6 * 1; m^ = g', v^ = g'^2; p -= lr m^ / (sqrt(v^) + 1e-8) = 2e-4 * 1e-6 / 1.01e-6
      double expected = 1 - 2e-4 / 1.01; // 0.999801980 (decoupled AdamW would leave 1 - 2e-10, and the bias at 1)
      for (Tensor p : params.values()) {
        for (float v : Tensors.toFloats(p)) assertThat((double) v).isCloseTo(expected, within(1e-6));
      }
    }
  }
}

package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** serve-model --adapter: a PEFT adapter merged into the served base computes what the adapted model computes. */
class AdapterServingTest {
  @TempDir Path tmp;

  @Test void servedAdapterMatchesTheAdaptedModelAndHasItsOwnVersion() {
    Path base = Shared.require("fixtures/stories260K");
    Path adapter = tmp.resolve("my-adapter");
    CausalLM adapted = CausalLM.load(base);
    LoraModel lora = adapted.addAdapters(LoraConfig.of(4, 8, "q_proj,v_proj"), 3);
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().forEach((k, t) -> {
        if (k.endsWith("lora_B.weight")) t.normal_(0, 0.5, new org.bytedeco.pytorch.GeneratorOptional());
      });
    }
    lora.save(adapter);
    float[] expected = logits(adapted), plain = logits(CausalLM.load(base));

    ServedModel served = ServedModel.load(base, adapter, null);
    assertThat(served.name()).isEqualTo("my-adapter");
    assertThat(served.version()).isNotEqualTo(ServedModel.version(base)).hasSize(12);
    assertThat(ServedModel.load(base, adapter, "x").version()).as("deterministic").isEqualTo(served.version());
    float[] got = logits(served.lm());
    assertThat(got).containsExactly(expected, within(2e-4f));
    assertThat(Math.abs(got[7] - plain[7]) + Math.abs(got[100] - plain[100])).as("the adapter changes the outputs").isGreaterThan(1e-3f);

    assertThatThrownBy(() -> ServedModel.load(base, tmp, null)).hasMessageContaining("--adapter").hasMessageContaining("adapter_config.json");
  }

  private static float[] logits(CausalLM m) {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor ids = Tensors.longs(new long[][] {{1, 5, 9, 13, 7}}, Device.CPU);
      Tensor mask = Tensors.longs(new long[][] {{1, 1, 1, 1, 1}}, Device.CPU);
      return Tensors.toFloats(m.forward(ids, mask).logits());
    }
  }
}

package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;

/** Gradient checkpointing per block: the same gradients (1e-5) as the plain backward, for full and LoRA training. */
class CheckpointingTest {
  private static CausalLM model(String family) {
    ModelFamily f = ModelFamilies.byModelType(family).orElseThrow();
    ModelConfig.Builder b = ModelConfig.builder(f).vocabSize(40).hiddenSize(32).numLayers(12).numHeads(4).headDim(8)
        .maxPositions(32).normEps(1e-5).ropeTheta(1e4).bosTokenId(1).eosTokenId(2);
    ModelConfig c = f == ModelFamilies.GPT2 ? b.intermediateSize(64).numKvHeads(4).tieWordEmbeddings(true).build()
        : b.intermediateSize(48).numKvHeads(2).tieWordEmbeddings(false).build();
    return CausalLM.random(c, 11, Device.CPU);
  }

  /** Gradients of a masked next-token loss over a left-padded batch, by parameter name. */
  private static Map<String, float[]> grads(CausalLM m, Map<String, Tensor> params, boolean checkpoint) {
    m.gradientCheckpointing(checkpoint);
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(5); // LoRA dropout draws its masks from here
      Tensor ids = Tensors.longs(new long[][] {{1, 7, 9, 3, 22, 5, 8}, {0, 0, 4, 11, 6, 30, 2}}, Device.CPU);
      Tensor mask = Tensors.longs(new long[][] {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}}, Device.CPU);
      Tensor logp = m.forward(ids, mask).logits().log_softmax(-1);                                // (B, T, V)
      Tensor next = ids.narrow(1, 1, 6).unsqueeze(-1);                                             // (B, T-1, 1)
      Tensor w = mask.narrow(1, 1, 6).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);      // (B, T-1)
      logp.narrow(1, 0, 6).gather(-1, next).squeeze(-1).mul(w).sum().neg().backward();
      params.forEach((k, p) -> {
        out.put(k, Tensors.toFloats(p.grad()));
        p.grad().zero_();
      });
    }
    return out;
  }

  private static void assertSame(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet()).isNotEmpty();
    double max = 0, norm = 0;
    for (String k : a.keySet()) {
      float[] x = a.get(k), y = b.get(k);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
        norm = Math.max(norm, Math.abs(x[i]));
      }
    }
    System.out.printf("checkpointing: max |grad diff| = %.3g (max |grad| %.3g)%n", max, norm);
    assertThat(norm).isGreaterThan(1e-3);
    assertThat(max).isLessThan(1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "gpt2"})
  void fullTrainingGradientsMatch(String family) {
    CausalLM m = model(family).requiresGrad(true);
    Map<String, float[]> plain = grads(m, m.parameters(), false);
    Map<String, float[]> ckpt = grads(m, m.parameters(), true);
    assertSame(plain, ckpt);
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "gpt2"})
  void loraGradientsMatchWithDropoutAndFrozenEmbeddings(String family) {
    CausalLM m = model(family);
    var lora = m.addAdapters(LoraConfig.of(4, 8, "all-linear").withDropout(0.2), 3);
    try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
      lora.parameters().values().forEach(t -> t.normal_(0, 0.1, new org.bytedeco.pytorch.GeneratorOptional()));
    }
    m.requiresGrad(true);
    Map<String, float[]> plain = grads(m, lora.parameters(), false);
    Map<String, float[]> ckpt = grads(m, lora.parameters(), true);
    Map<String, float[]> plainAgain = grads(m, lora.parameters(), false);
    assertSame(plain, plainAgain); // dropout masks come from the seed
    assertSame(plain, ckpt);
    m.gradientCheckpointing(false);
  }
}

package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.Autocast;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** Gradient checkpointing per block: the same gradients (1e-5) as the plain backward, full and LoRA training. */
class CheckpointingTest {
  private static final long[][] IDS = {{1, 7, 9, 3, 22, 5, 8, 14}, {0, 0, 4, 11, 6, 30, 2, 19}};
  private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1, 1}};

  private static CausalLM fixture(String name) {
    return CausalLM.load(Shared.require("fixtures/" + name));
  }

  /** A deeper random model (12 blocks) for LoRA dropout, whose masks the recompute must replay. */
  private static CausalLM deep(String family) {
    return random(family, 12);
  }

  /** A small random model of {@code family} with {@code layers} blocks (GPT-2 tied, others untied with GQA); seed 11. */
  static CausalLM random(String family, int layers) {
    ModelFamily f = ModelFamilies.byModelType(family).orElseThrow();
    ModelConfig.Builder b = ModelConfig.builder(f).vocabSize(40).hiddenSize(32).numLayers(layers).numHeads(4).headDim(8)
        .maxPositions(32).normEps(1e-5).ropeTheta(1e4).bosTokenId(1).eosTokenId(2);
    ModelConfig c = f == ModelFamilies.GPT2 ? b.intermediateSize(64).numKvHeads(4).tieWordEmbeddings(true).build()
        : b.intermediateSize(48).numKvHeads(2).tieWordEmbeddings(false).build();
    return CausalLM.random(c, 11, Device.CPU);
  }

  /** Gradients of a masked next-token loss over a left-padded batch (two forwards: one loss), by parameter name. */
  private static Map<String, float[]> grads(CausalLM m, Map<String, Tensor> params, boolean checkpoint, DType autocast) {
    m.gradientCheckpointing(checkpoint);
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(5); // LoRA dropout draws its masks from here
      Tensor ids = Tensors.longs(IDS, Device.CPU);
      Tensor mask = Tensors.longs(MASK, Device.CPU);
      Tensor loss;
      try (Autocast ac = Autocast.enable(Device.CPU, autocast)) {
        loss = nll(m, ids, mask).add(nll(m, ids.narrow(0, 0, 1), mask.narrow(0, 0, 1)).mul(Tensors.scalar(0.5)));
      }
      assertThat(Backprop.pending()).as("checkpointed stacks waiting for the backward").isEqualTo(checkpoint ? 2 : 0);
      Backprop.backward(loss);
      assertThat(Backprop.pending()).isZero();
      params.forEach((k, p) -> {
        assertThat(p.grad().defined()).as("%s has a gradient", k).isTrue();
        out.put(k, Tensors.toFloats(p.grad().to(torch.ScalarType.Float)));
        p.grad().zero_();
      });
    }
    m.gradientCheckpointing(false);
    return out;
  }

  private static Tensor nll(CausalLM m, Tensor ids, Tensor mask) {
    long t = ids.size(1) - 1;
    Tensor logp = m.forward(ids, mask).logits().to(torch.ScalarType.Float).log_softmax(-1); // (B, T, V)
    Tensor next = ids.narrow(1, 1, t).unsqueeze(-1);                                       // (B, T-1, 1)
    Tensor w = mask.narrow(1, 1, t).to(torch.ScalarType.Float);                             // (B, T-1)
    return logp.narrow(1, 0, t).gather(-1, next).squeeze(-1).mul(w).sum().neg();            // ()
  }

  private static double assertSame(Map<String, float[]> a, Map<String, float[]> b, double tol) {
    assertThat(a.keySet()).isEqualTo(b.keySet()).isNotEmpty();
    double max = 0, norm = 0;
    for (String k : a.keySet()) {
      float[] x = a.get(k), y = b.get(k);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
        norm = Math.max(norm, Math.abs(x[i]));
      }
    }
    assertThat(norm).as("largest gradient").isGreaterThan(1e-3);
    assertThat(max).as("largest gradient difference").isLessThan(tol);
    return max;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny", "gpt2-tiny", "qwen2-tiny", "llama-tiny-tied"})
  void fullTrainingGradientsMatchOnFixtures(String name) {
    CausalLM m = fixture(name).requiresGrad(true);
    Map<String, float[]> plain = grads(m, m.parameters(), false, DType.F32);
    assertSame(plain, grads(m, m.parameters(), true, DType.F32), 1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lora-llama-tiny", "lora-gpt2-tiny"})
  void peftAdapterGradientsMatchOnFixtures(String name) {
    String base = name.substring("lora-".length());
    CausalLM m = fixture(base);
    LoraModel lora = m.loadAdapters(Shared.require("fixtures/" + name));
    m.requiresGrad(true);
    Map<String, float[]> plain = grads(m, lora.parameters(), false, DType.F32);
    assertSame(plain, grads(m, lora.parameters(), true, DType.F32), 1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "gpt2"})
  void loraWithDropoutReplaysTheMasks(String family) {
    CausalLM m = deep(family);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 8, "all-linear").withDropout(0.2), 3);
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().values().forEach(t -> t.normal_(0, 0.1, new GeneratorOptional()));
    }
    m.requiresGrad(true);
    Map<String, float[]> plain = grads(m, lora.parameters(), false, DType.F32);
    assertSame(plain, grads(m, lora.parameters(), false, DType.F32), 1e-7); // masks come from the seed
    assertSame(plain, grads(m, lora.parameters(), true, DType.F32), 1e-5);
  }

  @Test
  void bf16AutocastIsReplayedInTheRecompute() {
    CausalLM m = deep("llama").requiresGrad(true);
    Map<String, float[]> plain = grads(m, m.parameters(), false, DType.BF16);
    assertSame(plain, grads(m, m.parameters(), true, DType.BF16), 1e-5);
  }

  @Test
  void forwardsWithoutGradientsAreNotCheckpointed() {
    CausalLM m = fixture("llama-tiny").requiresGrad(true).gradientCheckpointing(true);
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      m.forward(Tensors.longs(IDS, Device.CPU), Tensors.longs(MASK, Device.CPU));
      assertThat(Backprop.pending()).isZero();
    }
  }
}

package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** Chunked LM-head log-probs: the same values and gradients as log_softmax over the full (B, T, V) logits. */
class TokenLogprobsTest {
  private static final long[][] IDS = {{1, 7, 9, 3, 22, 5, 8, 14}, {0, 0, 4, 11, 6, 30, 2, 19}};
  private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1, 1}};

  /** Reference: full logits, log_softmax, gather. hidden (B, T, C), weight (V, C), targets (B, T). */
  private static Tensor full(Tensor hidden, Tensor weight, Tensor targets) {
    Tensor logits = hidden.matmul(weight.t());                                       // (B, T, V)
    if (DType.of(logits.scalar_type()) != DType.F64) logits = logits.to(ScalarType.Float);
    return logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1);   // (B, T)
  }

  private static double relDiff(Tensor a, Tensor b) {
    double scale = Math.max(1e-30, b.abs().max().item_double());
    return a.sub(b).abs().max().item_double() / scale;
  }

  /** Values, d/dhidden (through a graph before hidden) and d/dweight for chunk sizes 1, uneven, exact, > T, auto. */
  @ParameterizedTest
  @CsvSource({"1,Double,1e-10", "3,Double,1e-10", "7,Double,1e-10", "14,Double,1e-10", "100,Double,1e-10",
      "0,Double,1e-10", "-1,Double,1e-10", "1,Float,1e-5", "5,Float,1e-5", "100,Float,1e-5"})
  void chunkedMatchesFullLogits(long chunk, String dtype, double tol) {
    ScalarType st = DType.parse(dtype).scalarType();
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(3);
      Tensor x = torch.randn(2, 7, 6).to(st).requires_grad_(true);                  // (B, T, C) leaf
      Tensor w = torch.randn(29, 6).to(st).requires_grad_(true);                    // (V, C)
      Tensor tgt = torch.randint(29, new long[] {2, 7});                            // (B, T)
      Tensor mask = torch.ones(2, 7).to(st);                                        // (B, T)
      mask.narrow(1, 0, 2).select(0, 1).zero_();                                    // row 1 left-padded
      Tensor coef = torch.randn(2, 7).to(st);                                       // (B, T) arbitrary loss weights

      Tensor ref = full(x.mul(Tensors.scalar(1.5)).tanh(), w, tgt);                // (B, T)
      Backprop.backward(ref.mul(mask).mul(coef).sum());
      Tensor gx = x.grad().clone(), gw = w.grad().clone();
      x.grad().zero_();
      w.grad().zero_();

      Tensor got = TokenLogprobs.compute(x.mul(Tensors.scalar(1.5)).tanh(), w, tgt, chunk); // (B, T)
      boolean oneChunk = chunk < 0 || TokenLogprobs.chunkSize(chunk, 29) >= 14;
      assertThat(Backprop.pending()).as("a recompute is deferred only when there are several chunks").isEqualTo(oneChunk ? 0 : 1);
      assertThat(DType.of(got.scalar_type())).isEqualTo(DType.of(ref.scalar_type())).isEqualTo(DType.parse(dtype));
      assertThat(relDiff(got.detach(), ref.detach())).as("log-probs %s %s %s", x.scalar_type(), w.scalar_type(), ref.scalar_type()).isLessThan(tol);
      Backprop.backward(got.mul(mask).mul(coef).sum());
      assertThat(Backprop.pending()).isZero();
      assertThat(gx.abs().max().item_double()).isGreaterThan(1e-3);
      assertThat(relDiff(x.grad(), gx)).as("d/dhidden").isLessThan(tol);
      assertThat(relDiff(w.grad(), gw)).as("d/dweight").isLessThan(tol);
      // padded positions get no gradient from a masked loss
      assertThat(x.grad().select(0, 1).narrow(0, 0, 2).abs().max().item_double()).isZero();
    } finally {
      Backprop.discard();
    }
  }

  private static CausalLM deep(String family) {
    return CheckpointingTest.random(family, 3);
  }

  /** Gradients of the masked next-token loss by parameter name, via full logits (chunk null) or tokenLogprobs. */
  private static Map<String, Tensor> grads(CausalLM m, Map<String, Tensor> params, Long chunk) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (NativeScope s = NativeScope.open()) {
      Tensor ids = Tensors.longs(IDS, Device.CPU);
      Tensor mask = Tensors.longs(MASK, Device.CPU);
      long t = ids.size(1) - 1;
      Tensor logp = chunk == null
          ? full(m.hidden(ids, mask).narrow(1, 0, t), m.lmHeadWeight(), ids.narrow(1, 1, t))
          : m.tokenLogprobs(ids, mask, chunk);                                       // (B, T-1)
      Backprop.backward(logp.mul(mask.narrow(1, 1, t).to(ScalarType.Float)).sum().neg());
      params.forEach((k, p) -> {
        assertThat(p.grad().defined()).as("%s has a gradient", k).isTrue();
        out.put(k, s.keep(p.grad().clone()));
        p.grad().zero_();
      });
      return out;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny", "gpt2-tiny", "qwen2-tiny", "llama-tiny-tied"})
  void fullTrainingGradientsMatchOnFixtures(String name) {
    CausalLM m = CausalLM.load(Shared.require("fixtures/" + name)).requiresGrad(true);
    compare(m, m.parameters(), false);
    compare(m, m.parameters(), true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "gpt2"})
  void loraWithCheckpointingMatches(String family) {
    CausalLM m = deep(family);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 8, "all-linear"), 3);
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().values().forEach(t -> t.normal_(0, 0.1, new GeneratorOptional()));
    }
    m.requiresGrad(true);
    compare(m, lora.parameters(), true);
  }

  private static void compare(CausalLM m, Map<String, Tensor> params, boolean checkpoint) {
    m.gradientCheckpointing(checkpoint);
    try (NativeScope s = NativeScope.open()) {
      Map<String, Tensor> ref = grads(m, params, null);
      for (long chunk : new long[] {1, 5, 100, 0}) {
        Map<String, Tensor> got = grads(m, params, chunk);
        assertThat(got.keySet()).isEqualTo(ref.keySet()).isNotEmpty();
        ref.forEach((k, g) -> assertThat(relDiff(got.get(k), g)).as("%s chunk %d", k, chunk).isLessThan(1e-5));
      }
    } finally {
      m.gradientCheckpointing(false);
    }
  }

  /** The argmax from the same chunks is the full logits' argmax; the log-probs are those of compute. */
  @ParameterizedTest
  @CsvSource({"1", "3", "-1"})
  void argmaxComesFromTheSameChunks(long chunk) {
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(5);
      Tensor x = torch.randn(2, 7, 6);                                              // (B, T, C)
      Tensor w = torch.randn(29, 6);                                                // (V, C)
      Tensor tgt = torch.randint(29, new long[] {2, 7});                            // (B, T)
      TokenLogprobs.Scored got = TokenLogprobs.computeWithArgmax(x, w, tgt, chunk);
      Tensor expected = x.matmul(w.t()).argmax(new org.bytedeco.pytorch.LongOptional(-1), false); // (B, T)
      assertThat(got.argmax().equal(expected)).isTrue();
      assertThat(expected.min().item_long()).isNotEqualTo(expected.max().item_long()); // not a constant
      assertThat(relDiff(got.logprobs(), full(x, w, tgt))).isLessThan(1e-5);
    }
  }

  /** A frozen head (LoRA, a reference): the gradient comes from the forward's chunks, no recompute is deferred. */
  @ParameterizedTest
  @CsvSource({"1,Double,1e-10", "3,Double,1e-10", "5,Float,1e-5"})
  void frozenHeadNeedsNoRecompute(long chunk, String dtype, double tol) {
    ScalarType st = DType.parse(dtype).scalarType();
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(7);
      Tensor x = torch.randn(2, 7, 6).to(st).requires_grad_(true);                  // (B, T, C) leaf
      Tensor w = torch.randn(29, 6).to(st);                                         // (V, C), frozen
      Tensor tgt = torch.randint(29, new long[] {2, 7});                            // (B, T)
      Tensor coef = torch.randn(2, 7).to(st);                                       // (B, T)
      Tensor ref = full(x.mul(Tensors.scalar(1.5)).tanh(), w, tgt);                // (B, T)
      ref.mul(coef).sum().backward();
      Tensor gx = x.grad().clone();
      x.grad().zero_();
      Tensor got = TokenLogprobs.compute(x.mul(Tensors.scalar(1.5)).tanh(), w, tgt, chunk); // (B, T)
      assertThat(Backprop.pending()).isZero();
      assertThat(relDiff(got.detach(), ref.detach())).isLessThan(tol);
      got.mul(coef).sum().backward();                                               // plain autograd suffices
      assertThat(relDiff(x.grad(), gx)).as("d/dhidden").isLessThan(tol);
    } finally {
      Backprop.discard();
    }
  }
}

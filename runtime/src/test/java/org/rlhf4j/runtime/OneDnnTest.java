package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OneDnnTest {
  @Test
  void measuringAVerdictLeavesTheSeededDefaultGeneratorAlone() {
    // a verdict is measured lazily inside a seeded generation: drawing from the default generator there shifted samples
    try (NativeScope s = NativeScope.open()) {
      Runtime.seed(7);
      double want = torch.randn(16).sum().item_double();
      Runtime.seed(7);
      OneDnn.measure(OneDnn.Workload.PROMPT, 1);
      OneDnn.measure(OneDnn.Workload.TRAIN, 1);
      OneDnn.gflops(64, 1);
      assertThat(torch.randn(16).sum().item_double()).isEqualTo(want);
    }
  }

  @Test
  void thePrepackedLinearAgreesWithTorchLinearInFloat32() {
    Assumptions.assumeTrue(OneDnn.available(), OneDnn.unavailableReason());
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(2);
      Tensor w = torch.randn(70, 33), b = torch.randn(70), x = torch.randn(3, 5, 33); // (out, in), (out), (B, T, in)
      Tensor packed = OneDnn.pack(w);
      try {
        assertThat(packed.is_mkldnn()).as("oneDNN's own layout").isTrue();
        Tensor y = OneDnn.linear(x, packed, b), want = torch.linear(x, w, Tensors.opt(b));
        assertThat(y.shape()).containsExactly(3, 5, 70);
        assertThat(y.sub(want).abs().max().item_double()).isLessThan(1e-4 * (1 + want.abs().max().item_double()));
        assertThat(OneDnn.linear(x, packed, null).sub(torch.linear(x, w)).abs().max().item_double()).isLessThan(1e-3);
        Tensor packedT = OneDnn.pack(w.t().t()); // any strides: packed from a contiguous copy
        assertThat(OneDnn.linear(x, packedT, b).sub(want).abs().max().item_double()).isLessThan(1e-3);
        packedT.close();
      } finally {
        packed.close();
      }
      assertThatThrownBy(() -> OneDnn.pack(torch.randn(4))).hasMessageContaining("2-D");
    }
  }

  @Test
  void theVerdictNamesBothTimingsAndTheRule() {
    OneDnn.Verdict v = OneDnn.measure(1);
    assertThat(v.reason()).contains(OneDnn.available() ? "ms prepacked" : "unavailable");
    if (OneDnn.available()) assertThat(v.packedMs()).isPositive();
    assertThatThrownBy(() -> new OneDnn.Verdict(true, 1, 1, " ")).hasMessageContaining("reason");
  }

  @Test
  void rewritesAreCounted() {
    long before = OneDnn.weightsRewritten();
    OneDnn.markWeightsRewritten();
    assertThat(OneDnn.weightsRewritten()).isEqualTo(before + 1);
  }

  @Test
  void everyWorkloadsVerdictNamesItsProductsAndTheTrainingOneTimesBackward() {
    Assumptions.assumeTrue(OneDnn.available(), OneDnn.unavailableReason());
    for (OneDnn.Workload w : OneDnn.Workload.values()) {
      OneDnn.Verdict v = OneDnn.measure(w, 1);
      assertThat(v.reason()).as(w.name()).contains(w.products()).contains(v.faster() ? "oneDNN:" : "libtorch matmul:");
      assertThat(v.packedMs()).as(w.name()).isPositive();
      assertThat(v.libtorchMs()).as(w.name()).isPositive();
      assertThat(v.faster()).as(w.name()).isEqualTo(v.libtorchMs() >= w.margin() * v.packedMs());
    }
    assertThat(OneDnn.Workload.DECODE.margin()).isEqualTo(OneDnn.MARGIN);
    assertThat(OneDnn.Workload.PROMPT.margin()).as("prompts keep oneDNN unless libtorch is clearly faster").isEqualTo(1 / OneDnn.MARGIN);
    assertThat(OneDnn.measure(OneDnn.Workload.PROMPT, 1).reason()).contains("unless libtorch's matmul is >= 1.1x faster");
    assertThat(OneDnn.measure(OneDnn.Workload.TRAIN, 1).reason()).contains("forward + backward").contains("mkldnn_linear");
    assertThat(OneDnn.Workload.PROMPT.products()).isEqualTo("256x[768->2304] + 256x[3072->768]");
  }

  @Test
  void thePeakProbeGivesAFiniteRate() {
    Assumptions.assumeTrue(OneDnn.available(), OneDnn.unavailableReason());
    assertThat(OneDnn.gflops(128, 1)).isPositive().isFinite();
  }
}

package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrecisionTest {
  @Test
  void withoutBf16InstructionsFp32IsChosenAndBf16IsOnlyProbedSmall() {
    Cpu avx2 = Cpu.parse("model name\t: test\nflags\t\t: avx2 fma\n", 2);
    Precision p = Precision.measure(Device.CPU, avx2, 128, 1, 5.0);
    assertThat(p.preferred()).isEqualTo(DType.F32);
    assertThat(p.bf16().n()).isLessThanOrEqualTo(256);
    assertThat(p.fp32().gflops()).isPositive();
    assertThat(p.bf16().gflops()).isPositive();
    assertThat(p.reason()).startsWith("fp32: this CPU has no bf16 instructions");
    assertThat(p.fields()).containsEntry("preferred", "f32").containsKeys("fp32_gflops", "bf16_gflops", "reason");
  }

  @Test
  void cappedProbeStopsGrowingWhenTheNextSizeWouldOverrunTheBudget() {
    MatmulProbe.Rate r = MatmulProbe.capped(DType.F32, Device.CPU, 4096, 1, 1e-6);
    assertThat(r.n()).isEqualTo(256);
    assertThat(r.note()).startsWith("capped at n=256 (n=4096 would take ~");
    MatmulProbe.Rate full = MatmulProbe.capped(DType.F32, Device.CPU, 256, 1, 1e-6);
    assertThat(full.n()).isEqualTo(256);
    assertThat(full.note()).isEmpty();
  }

  @Test
  void aWorkloadTakesBf16OnlyWhereItsOwnRateIsAtLeastTheMarginFaster() {
    Precision.Verdict slower = Precision.Verdict.of("train_step gpt2-124m", 131.5, 68.6);
    assertThat(slower.preferred()).isEqualTo(DType.F32);
    assertThat(slower.bf16OverFp32()).isCloseTo(68.6 / 131.5, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(slower.reason()).isEqualTo("fp32: train_step gpt2-124m measured 0.52x fp32 (68.6 vs 131.5; bf16 is used when >= 1.2x)");
    assertThat(Precision.Verdict.of("decode", 100, 119).preferred()).isEqualTo(DType.F32);
    assertThat(Precision.Verdict.of("decode", 100, 120).preferred()).isEqualTo(DType.BF16);
    assertThat(Precision.Verdict.of("decode", 100, 150).fields()).containsEntry("preferred", "bf16").containsEntry("bf16_over_fp32", 1.5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Precision.Verdict.of("decode", 0, 1))
        .hasMessage("decode: rates must be > 0");
  }

  @Test
  void copyBandwidthIsMeasured() {
    assertThat(MatmulProbe.copyGBps(Device.CPU, 8, 1)).isPositive();
  }
}

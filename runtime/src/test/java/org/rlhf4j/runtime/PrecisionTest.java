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
  void copyBandwidthIsMeasured() {
    assertThat(MatmulProbe.copyGBps(Device.CPU, 8, 1)).isPositive();
  }
}

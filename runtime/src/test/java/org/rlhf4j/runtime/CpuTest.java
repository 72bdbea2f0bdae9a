package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuTest {
  private static final String EPYC = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      cpu family\t: 23
      model name\t: AMD EPYC
      flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2
      
      processor\t: 1
      model name\t: AMD EPYC
      flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2
      """;

  private static final String SAPPHIRE = """
      model name\t: Intel(R) Xeon(R) Platinum 8480+
      flags\t\t: avx2 fma avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8
      """;

  @Test
  void avx2EpycHasNoBf16Instructions() {
    Cpu c = Cpu.parse(EPYC, 2);
    assertThat(c.model()).isEqualTo("AMD EPYC");
    assertThat(c.features()).containsExactly("avx2", "fma");
    assertThat(c.hasBf16Instructions()).isFalse();
    assertThat(c.describe()).isEqualTo("AMD EPYC (2 cores; avx2 fma)");
  }

  @Test
  void amxXeonHasBf16Instructions() {
    Cpu c = Cpu.parse(SAPPHIRE, 8);
    assertThat(c.features()).containsExactly("avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16", "amx_int8");
    assertThat(c.hasBf16Instructions()).isTrue();
  }

  @Test
  void armFeaturesLineIsRead() {
    Cpu c = Cpu.parse("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm sve\nCPU part\t: 0xd4f\n", 4);
    assertThat(c.model()).isEqualTo("unknown");
    assertThat(c.features()).containsExactly("asimd", "bf16", "i8mm", "sve");
    assertThat(c.hasBf16Instructions()).isTrue();
  }

  @Test
  void unreadableCpuinfoGivesAnUnknownCpuWithoutFlags() {
    Cpu c = Cpu.parse("", 1);
    assertThat(c.model()).isEqualTo("unknown");
    assertThat(c.flags()).isEmpty();
    assertThat(c.hasBf16Instructions()).isFalse();
    assertThat(Cpu.detect().cores()).isEqualTo(java.lang.Runtime.getRuntime().availableProcessors());
  }
}

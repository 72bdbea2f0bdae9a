package org.rlhf4j.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The processor this process runs on, from {@code /proc/cpuinfo}: model name, logical cores and the instruction-set
 * flags that decide which dtypes are fast. bf16 matmuls are fast only with bf16 instructions (AVX-512 BF16, AMX, or
 * Arm's BF16); on AVX2-only machines libtorch emulates them at ~1 GFLOP/s against ~130 for fp32. Pure Java: reading
 * it never loads libtorch.
 */
public record Cpu(String model, int cores, Set<String> flags) {
  /** The flags worth printing, in this order, when present. */
  private static final List<String> SHOWN = List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "avx512_vnni",
      "amx_tile", "amx_bf16", "amx_int8", "asimd", "bf16", "i8mm", "sve");

  public Cpu {
    if (model == null || model.isBlank()) model = "unknown";
    if (cores < 1) throw new IllegalArgumentException("cores must be >= 1, got " + cores);
    flags = Set.copyOf(flags);
  }

  private static volatile Cpu detected;

  /** This machine (cached): {@code /proc/cpuinfo} where readable, else "unknown" with no flags. */
  public static Cpu detect() {
    Cpu c = detected;
    if (c == null) {
      int cores = java.lang.Runtime.getRuntime().availableProcessors();
      String text;
      try { text = Files.readString(Path.of("/proc/cpuinfo")); } catch (Exception e) { text = ""; }
      detected = c = parse(text, cores);
    }
    return c;
  }

  /**
   * Parses cpuinfo text: the first {@code model name} (x86) or {@code CPU part}/{@code Hardware} (Arm) line and the first
   * {@code flags} (x86) or {@code Features} (Arm) line. {@code cores} is the count this process may use.
   */
  public static Cpu parse(String cpuinfo, int cores) {
    String model = null;
    Set<String> flags = new LinkedHashSet<>();
    boolean flagsSeen = false;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT), value = line.substring(colon + 1).trim();
      if (model == null && (key.equals("model name") || key.equals("hardware"))) model = value;
      if (!flagsSeen && (key.equals("flags") || key.equals("features"))) {
        for (String f : value.split("\\s+")) if (!f.isEmpty()) flags.add(f.toLowerCase(Locale.ROOT));
        flagsSeen = true;
      }
    }
    return new Cpu(model, cores, flags);
  }

  public boolean has(String flag) { return flags.contains(flag.toLowerCase(Locale.ROOT)); }

  /** True when the CPU has bf16 matmul instructions (AVX-512 BF16, AMX-BF16, or Arm BF16). */
  public boolean hasBf16Instructions() { return has("avx512_bf16") || has("amx_bf16") || has("bf16"); }

  /** The interesting flags present, e.g. [avx2, fma] or [avx2, fma, avx512f, avx512_bf16, amx_tile, amx_bf16]. */
  public List<String> features() {
    List<String> out = new ArrayList<>();
    for (String f : SHOWN) if (has(f)) out.add(f);
    return out;
  }

  /** "AMD EPYC (2 cores; avx2 fma)". */
  public String describe() { return model + " (" + cores + " cores; " + String.join(" ", features()) + ")"; }
}

package org.rlhf4j.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which floating dtype is faster for matmuls on this machine, measured, with the reason in words. On a CPU without
 * bf16 instructions bf16 is only probed on a small matmul (libtorch emulates it at ~1 GFLOP/s on AVX2); bf16 is
 * {@link #preferred()} only where it measured at least {@link #MARGIN} times fp32 at the same size.
 */
public record Precision(DType preferred, MatmulProbe.Rate fp32, MatmulProbe.Rate bf16, String reason) {
  /** How much faster bf16 must measure before it is preferred (its rounding is not free). */
  public static final double MARGIN = 1.2;

  public Precision {
    if (preferred != DType.F32 && preferred != DType.BF16) throw new IllegalArgumentException("preferred must be F32 or BF16");
    if (fp32 == null || bf16 == null || reason == null) throw new IllegalArgumentException("fp32, bf16 and reason are required");
  }

  /**
   * Measures fp32 at {@code n} (the machine's peak) and bf16 within {@code bf16BudgetSeconds}; on a CPU without bf16
   * instructions bf16 is probed at n=256 only. Takes about a second on a CPU without bf16, a few with it.
   */
  public static Precision measure(Device device, Cpu cpu, int n, int reps, double bf16BudgetSeconds) {
    double f = MatmulProbe.gflops(DType.F32, device, n, reps);
    MatmulProbe.Rate fp32 = new MatmulProbe.Rate(DType.F32, n, f, "");
    boolean instructions = device.isCuda() || cpu.hasBf16Instructions();
    MatmulProbe.Rate bf16 = instructions ? MatmulProbe.capped(DType.BF16, device, n, reps, bf16BudgetSeconds)
        : MatmulProbe.capped(DType.BF16, device, 256, 1, bf16BudgetSeconds);
    if (!instructions) {
      return new Precision(DType.F32, fp32, bf16, String.format(Locale.ROOT,
          "fp32: this CPU has no bf16 instructions (avx512_bf16, amx_bf16); bf16 matmul %.1f GFLOP/s at n=%d vs fp32 %.1f",
          bf16.gflops(), bf16.n(), f));
    }
    double same = bf16.n() == n ? f : MatmulProbe.gflops(DType.F32, device, bf16.n(), 1);
    boolean faster = bf16.gflops() >= MARGIN * same;
    return new Precision(faster ? DType.BF16 : DType.F32, fp32, bf16, String.format(Locale.ROOT,
        "%s: bf16 matmul %.1f GFLOP/s vs fp32 %.1f at n=%d (bf16 is used when >= %.1fx)",
        faster ? "bf16" : "fp32", bf16.gflops(), same, bf16.n(), MARGIN));
  }

  private static final Map<Device, Precision> MEASURED = new java.util.concurrent.ConcurrentHashMap<>();

  /** {@link #measure} once per process and device with a small budget (n=1024, 2 s for bf16), cached. */
  public static Precision forDevice(Device device) {
    return MEASURED.computeIfAbsent(device, d -> measure(d, Cpu.detect(), 1024, 2, 2.0));
  }

  /** The JSON-ready fields {@code rlhf4j bench} prints. */
  public Map<String, Object> fields() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("fp32_gflops", round(fp32.gflops()));
    o.put("fp32_n", fp32.n());
    o.put("bf16_gflops", round(bf16.gflops()));
    o.put("bf16_n", bf16.n());
    if (!bf16.note().isEmpty()) o.put("bf16_note", bf16.note());
    o.put("preferred", preferred.name().toLowerCase(Locale.ROOT));
    o.put("reason", reason);
    return o;
  }

  private static double round(double v) { return Math.round(v * 1000.0) / 1000.0; }
}

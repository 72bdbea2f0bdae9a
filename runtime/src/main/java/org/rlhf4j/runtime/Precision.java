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

  /**
   * The dtype a workload should run in, from its own measured rates (tokens/s) in both: the matmul probe alone misleads
   * (on a Zen 4 with avx512_bf16 a 2048-cube bf16 matmul ran 2.1x fp32 while a bf16-autocast GPT-2 training step ran at
   * 0.52x, and bf16 weights decoded slower at batch 1, faster at 32).
   */
  public record Verdict(String workload, DType preferred, double bf16OverFp32, String reason) {
    public Verdict {
      if (workload == null || workload.isBlank() || reason == null) throw new IllegalArgumentException("workload and reason are required");
      if (preferred != DType.F32 && preferred != DType.BF16) throw new IllegalArgumentException("preferred must be F32 or BF16");
    }

    /** bf16 where its measured rate is at least {@link #MARGIN} times fp32's, else fp32. */
    public static Verdict of(String workload, double fp32Rate, double bf16Rate) {
      if (!(fp32Rate > 0) || !(bf16Rate > 0)) throw new IllegalArgumentException(workload + ": rates must be > 0");
      double r = bf16Rate / fp32Rate;
      boolean bf16 = r >= MARGIN;
      return new Verdict(workload, bf16 ? DType.BF16 : DType.F32, r, String.format(Locale.ROOT,
          "%s: %s measured %.2fx fp32 (%.1f vs %.1f; bf16 is used when >= %.1fx)", bf16 ? "bf16" : "fp32", workload, r,
          bf16Rate, fp32Rate, MARGIN));
    }

    public Map<String, Object> fields() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("workload", workload);
      o.put("bf16_over_fp32", round(bf16OverFp32));
      o.put("preferred", preferred == DType.F32 ? "fp32" : "bf16");
      o.put("reason", reason);
      return o;
    }
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

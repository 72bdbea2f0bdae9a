package org.rlhf4j.runtime;

import org.bytedeco.pytorch.global.torch;

/** Process-wide libtorch settings: threads, seeds, device discovery. */
public final class Runtime {
  private Runtime() {}

  private static volatile Boolean cuda;

  /** True when CUDA natives are loaded and at least one GPU answers. */
  public static boolean cudaAvailable() {
    Boolean c = cuda;
    if (c == null) {
      boolean v;
      try { v = Device.torchCudaAvailable(); } catch (Throwable t) { v = false; }
      cuda = c = v;
    }
    return c;
  }

  /** Sets libtorch's intra-op thread count (defaults to the core count). */
  public static void threads(int n) {
    if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
    torch.set_num_threads(n);
  }

  public static int threads() { return torch.get_num_threads(); }

  /** Seeds libtorch's default generators (CPU and, when present, CUDA). */
  public static void seed(long seed) {
    torch.manual_seed(seed);
  }

  /** Resident set size of this process in bytes (Linux), or -1 when unknown. */
  public static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] p = line.trim().split("\\s+");
          return Long.parseLong(p[1]) * 1024L;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  /** Peak resident set size of this process in bytes (Linux VmHWM), or -1 when unknown. */
  public static long peakResidentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] p = line.trim().split("\\s+");
          return Long.parseLong(p[1]) * 1024L;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}

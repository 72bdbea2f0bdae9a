package org.rlhf4j.runtime;

import org.bytedeco.openblas.global.openblas_nolapack;
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

  /**
   * Sets libtorch's intra-op thread count (defaults to the core count) and the thread pool of OpenBLAS, which
   * libtorch's CPU build calls for float32 matmuls and which keeps its own pool otherwise (so one libtorch thread
   * still split each matmul over every core, and two processes on two cores fought over them).
   */
  public static void threads(int n) {
    threads(n, n);
  }

  /**
   * libtorch's intra-op threads and OpenBLAS's threads separately: tiny models run best with one libtorch thread
   * (no fork/join around each small op) and OpenBLAS on every core for the matmuls.
   */
  public static void threads(int torchThreads, int blasThreads) {
    if (torchThreads < 1 || blasThreads < 1) {
      throw new IllegalArgumentException("thread counts must be >= 1, got " + torchThreads + " and " + blasThreads);
    }
    torch.set_num_threads(torchThreads);
    openblas_nolapack.blas_set_num_threads(blasThreads);
  }

  /** OpenBLAS's thread count as last set here, or -1 before (OpenBLAS then uses OPENBLAS_NUM_THREADS or every core). */
  public static int blasThreads() { return openblas_nolapack.blas_get_num_threads(); }

  public static int threads() { return torch.get_num_threads(); }

  /** Restores OpenBLAS's thread count when the last {@link #singleBlasThread} scope closes. */
  public interface BlasScope extends AutoCloseable { @Override void close(); }

  private static int quietScopes, quietSaved;

  /**
   * OpenBLAS on one thread until the returned scope closes (nested scopes restore at the last close), for work whose
   * only OpenBLAS calls are tiny, such as few-row decoding (attention's small GEMMs): OpenBLAS's idle workers spin for
   * a while after every call, and at two threads that spin cost GPT-2 batch-1 decode 17-26 ms of CPU per token and
   * took the core the decode kernel's second thread needed. Does nothing where the count was never set here.
   */
  public static synchronized BlasScope singleBlasThread() {
    if (quietScopes == 0) {
      int now = blasThreads();
      if (now <= 1) return () -> {};
      quietSaved = now;
      openblas_nolapack.blas_set_num_threads(1);
    }
    quietScopes++;
    boolean[] closed = {false};
    return () -> {
      synchronized (Runtime.class) {
        if (closed[0]) return;
        closed[0] = true;
        if (--quietScopes == 0) openblas_nolapack.blas_set_num_threads(quietSaved);
      }
    };
  }

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

package org.rlhf4j.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many threads libtorch's intra-op pool and OpenBLAS's pool get, and where the choice came from. Both pools
 * default to every core this process may use: libtorch calls OpenBLAS from one thread for each matmul, so the two
 * pools take turns rather than run side by side, provided libtorch's OpenMP workers sleep instead of spinning
 * between parallel regions. That is {@code OMP_WAIT_POLICY=PASSIVE}, which OpenMP reads once when libtorch loads: the
 * {@code ./rlhf4j} launcher and the test runner set it; an embedding application must set it in the environment of
 * its JVM ({@link #passiveWaiting()} tells whether it did).
 *
 * <p>Override with {@code --threads N} (both pools), {@code --threads T,B} (libtorch T, OpenBLAS B) or the
 * environment variable {@code RLHF4J_THREADS} in the same form; else {@code OMP_NUM_THREADS} and
 * {@code OPENBLAS_NUM_THREADS} are honoured; else every core.
 */
public record ThreadPlan(int cores, int torchThreads, int blasThreads, String source) {
  public static final String ENV = "RLHF4J_THREADS";

  public ThreadPlan {
    if (cores < 1 || torchThreads < 1 || blasThreads < 1) {
      throw new IllegalArgumentException("thread counts must be >= 1, got cores " + cores + ", libtorch " + torchThreads
          + ", OpenBLAS " + blasThreads);
    }
    if (source == null || source.isBlank()) throw new IllegalArgumentException("source is required");
  }

  /** Every core for both pools. */
  public static ThreadPlan defaults(int cores) { return new ThreadPlan(cores, cores, cores, "default: every core"); }

  /**
   * The plan for this process: {@code flag} when given (e.g. the CLI's {@code --threads}), else {@code RLHF4J_THREADS},
   * else {@link #defaults}. A malformed value is an {@link IllegalArgumentException} naming where it came from.
   */
  public static ThreadPlan resolve(String flag) {
    int cores = java.lang.Runtime.getRuntime().availableProcessors();
    if (flag != null && !flag.isBlank()) return parse(flag, cores, "--threads");
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) return parse(env, cores, ENV);
    return fromOpenMp(System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_NUM_THREADS"), cores);
  }

  /** The pools as OMP_NUM_THREADS / OPENBLAS_NUM_THREADS say (either may be null: every core), as the launcher sets them. */
  static ThreadPlan fromOpenMp(String omp, String blas, int cores) {
    boolean o = omp != null && !omp.isBlank(), b = blas != null && !blas.isBlank();
    if (!o && !b) return defaults(cores);
    int t = o ? count(omp.trim(), "OMP_NUM_THREADS", omp) : cores, n = b ? count(blas.trim(), "OPENBLAS_NUM_THREADS", blas) : cores;
    return new ThreadPlan(cores, t, n, "environment: OMP_NUM_THREADS=" + (o ? omp.trim() : "unset")
        + " OPENBLAS_NUM_THREADS=" + (b ? blas.trim() : "unset"));
  }

  /** Parses "N" or "T,B" given by {@code origin} (a flag or variable name, used in the source and in errors). */
  public static ThreadPlan parse(String value, int cores, String origin) {
    String[] p = value.trim().split("\\s*,\\s*");
    if (p.length > 2) throw new IllegalArgumentException(origin + ": expected N or TORCH,BLAS thread counts, got '" + value + "'");
    int t = count(p[0], origin, value), b = p.length == 2 ? count(p[1], origin, value) : t;
    return new ThreadPlan(cores, t, b, origin + "=" + value.trim());
  }

  private static int count(String s, String origin, String value) {
    try {
      int n = Integer.parseInt(s);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(origin + ": thread counts must be whole numbers >= 1, got '" + value + "'");
  }

  private static volatile ThreadPlan applied;

  /** Sizes both pools (loads libtorch) and remembers this plan as {@link #current}. */
  public ThreadPlan apply() {
    Runtime.threads(torchThreads, blasThreads);
    applied = this;
    return this;
  }

  /** The plan last {@link #apply applied} in this process, else what {@link #resolve resolve(null)} gives (not applied). */
  public static ThreadPlan current() {
    ThreadPlan p = applied;
    return p != null ? p : resolve(null);
  }

  /** True when {@code OMP_WAIT_POLICY} is passive for this process (set before the JVM started). */
  public static boolean passiveWaiting() {
    String v = System.getenv("OMP_WAIT_POLICY");
    return v != null && v.trim().toLowerCase(Locale.ROOT).equals("passive");
  }

  /** The plan as JSON-ready fields (what {@code rlhf4j bench} prints). */
  public Map<String, Object> fields() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("cores", cores);
    o.put("torch_threads", torchThreads);
    o.put("blas_threads", blasThreads);
    o.put("source", source);
    String w = System.getenv("OMP_WAIT_POLICY");
    o.put("omp_wait_policy", w == null ? "unset (OpenMP workers spin between ops)" : w);
    return o;
  }

  @Override public String toString() {
    return "libtorch " + torchThreads + " + OpenBLAS " + blasThreads + " threads on " + cores + " cores (" + source + ")";
  }
}

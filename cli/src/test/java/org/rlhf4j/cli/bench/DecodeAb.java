package org.rlhf4j.cli.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.nn.ThinMatmul;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;

/**
 * Alternating A/B of the thin-matmul kernels on one model shape's decode, in one JVM so the ratio survives a
 * shared machine: {@code packed} (the default: the Vector API kernel for one row, oneDNN's prepacked weights for
 * 2-64), {@code vector} (the Vector API kernel for 1-4 rows, libtorch beyond), {@code gemv} (sgemv for one row) and
 * {@code off} (libtorch's matmul) take turns, round after round. One JSON line per measurement (wall tokens/s, process CPU milliseconds per
 * generated token (decode()'s warm-up and both prompt prefills included), split by thread: main, rlhf4j-gemv and native = OpenMP/OpenBLAS workers; the 1-minute load), then a summary line
 * per mode (median). A mode is vector, gemv or off, optionally with :T:B (libtorch and OpenBLAS threads for it). Test scope; run with the CLI's classpath:
 * MODEL is a bench shape (gpt2-124m, ...) or a model folder. {@code java --add-modules jdk.incubator.vector -cp cli/target/test-classes:cli/target/rlhf4j-cli.jar:cli/target/lib/* 
 * org.rlhf4j.cli.bench.DecodeAb MODEL T[,B] BATCH TOKENS ROUNDS [modes]} (pin it with taskset).
 */
public final class DecodeAb {
  private DecodeAb() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "gpt2-124m";
    String[] pools = (args.length > 1 ? args[1] : "1").split(",");
    int threads = Integer.parseInt(pools[0]), blas = Integer.parseInt(pools[pools.length - 1]);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    String[] modes = (args.length > 5 ? args[5] : "packed,vector,off").split(",");
    ModelConfig c = ModelBench.shape(model);
    if (c == null && !Files.isDirectory(Path.of(model))) throw new IllegalArgumentException("model: neither a bench shape nor a model folder: " + model);
    Runtime.threads(threads, blas);
    CausalLM m = c == null ? CausalLM.load(Path.of(model)) : CausalLM.random(c, 0, Device.CPU);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<List<Double>> rate = new ArrayList<>(), cpu = new ArrayList<>();
    for (String ignored : modes) { rate.add(new ArrayList<>()); cpu.add(new ArrayList<>()); }
    for (String mode : modes) { set(mode); ModelBench.decode(m, batch, 16, 8); } // JIT warm-up of every path
    double generated = (double) batch * (tokens + Math.min(8, tokens)); // per decode() call, its warm-up included
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < modes.length; i++) {
        set(modes[i]);
        long c0 = os.getProcessCpuTime();
        java.util.Map<String, Long> t0 = javaThreads();
        double tps = ModelBench.decode(m, batch, 16, tokens);
        double cpuPerToken = (os.getProcessCpuTime() - c0) / 1e9 / generated; // decode() runs a warm-up of min(8, tokens) first; the prompts (16 tokens) are prefilled twice
        java.util.Map<String, Long> t1 = javaThreads();
        long all = os.getProcessCpuTime() - c0, java = 0;
        StringBuilder split = new StringBuilder();
        for (var e : t1.entrySet()) {
          long d = e.getValue() - t0.getOrDefault(e.getKey(), 0L);
          java += d;
          if (d > 1_000_000) split.append(String.format(Locale.ROOT, "\"%s\":%.1f,", e.getKey(), d / 1e6 / generated));
        }
        split.append(String.format(Locale.ROOT, "\"native\":%.1f", (all - java) / 1e6 / generated));
        System.out.println("{\"cpu_ms_per_token_by_thread\":{" + split + "}}");
        rate.get(i).add(tps);
        cpu.get(i).add(cpuPerToken);
        System.out.printf(Locale.ROOT, "{\"bench\":\"decode_ab\",\"model\":\"%s\",\"threads\":%d,\"blas\":%d,\"batch\":%d,\"mode\":\"%s\",\"round\":%d,"
            + "\"tokens_per_s\":%.2f,\"cpu_ms_per_token\":%.2f,\"load1\":%s,\"blas_timeout\":\"%s\"}%n", model, threads, blas, batch, modes[i], r, tps, 1e3 * cpuPerToken, load(), System.getenv("OPENBLAS_THREAD_TIMEOUT"));
      }
    }
    for (int i = 0; i < modes.length; i++) {
      System.out.printf(Locale.ROOT, "{\"bench\":\"decode_ab_median\",\"model\":\"%s\",\"threads\":%d,\"batch\":%d,\"mode\":\"%s\","
          + "\"tokens_per_s\":%.2f,\"cpu_ms_per_token\":%.2f,\"ratio_to_first\":%.3f}%n", model, threads, batch, modes[i],
          median(rate.get(i)), 1e3 * median(cpu.get(i)), median(rate.get(i)) / median(rate.get(0)));
    }
  }

  /** KERNEL or KERNEL:T:B (libtorch threads T, OpenBLAS threads B for this mode). */
  private static void set(String mode) {
    String[] p = mode.split(":");
    switch (p[0]) {
      case "packed" -> { ThinMatmul.enable(true); ThinMatmul.vectorKernel(true); ThinMatmul.packing(ThinMatmul.Packing.ON); }
      case "vector" -> { ThinMatmul.enable(true); ThinMatmul.vectorKernel(true); ThinMatmul.packing(ThinMatmul.Packing.OFF); }
      case "gemv" -> { ThinMatmul.enable(true); ThinMatmul.vectorKernel(false); ThinMatmul.packing(ThinMatmul.Packing.OFF); }
      case "off" -> ThinMatmul.enable(false);
      default -> throw new IllegalArgumentException("modes: packed, vector, gemv or off (optionally :T:B), not " + mode);
    }
    if (p.length == 3) Runtime.threads(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  private static java.util.Map<String, Long> javaThreads() {
    var mx = ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      long t = mx.getThreadCpuTime(id);
      if (info != null && t > 0) out.merge(info.getThreadName().replaceAll("[0-9-]+$", "") + "", t, Long::sum);
    }
    return out;
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    java.util.Collections.sort(s);
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }
}

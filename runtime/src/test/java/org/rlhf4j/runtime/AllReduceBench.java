package org.rlhf4j.runtime;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The gradient all-reduce alone, two ranks as two threads of this JVM over Gloo on loopback: the gradients of
 * bench --data-parallel's 4-layer 256-wide Llama (17.8 MB in 39 tensors) reduced in one bucket and in 1, 2, 4, 8 and 25 MB
 * buckets, configurations alternating over rounds; one JSON line per configuration (median wall seconds per all-reduce
 * on rank 0, process CPU seconds per all-reduce). Not a test: run with
 * {@code java -cp runtime/target/classes:runtime/target/test-classes:CLASSPATH org.rlhf4j.runtime.AllReduceBench [rounds] [reps]}.
 */
public final class AllReduceBench {
  private static final long[] BUCKETS_MB = {0, 1, 2, 4, 8, 25};

  private AllReduceBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5, reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var other = CompletableFuture.runAsync(() -> run(Distributed.join(1, 2, "127.0.0.1", port, 120_000), rounds, reps, null));
    double[][] wall = new double[BUCKETS_MB.length][rounds * reps];
    double[] cpu = new double[BUCKETS_MB.length];
    run(Distributed.join(0, 2, "127.0.0.1", port, 120_000), rounds, reps, new double[][][] {wall, {cpu}});
    other.get();
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    for (int c = 0; c < BUCKETS_MB.length; c++) {
      double[] w = wall[c].clone();
      Arrays.sort(w);
      System.out.printf(Locale.ROOT, "{\"bench\":\"allreduce\",\"bucket_mb\":%d,\"mb\":%.1f,\"median_s\":%.4f,\"min_s\":%.4f,"
          + "\"process_cpu_s_per_allreduce\":%.4f,\"n\":%d,\"load_average_1m\":%.2f}%n", BUCKETS_MB[c], mb(), w[w.length / 2], w[0],
          cpu[c] / w.length, w.length, load);
    }
  }

  private static List<Tensor> gradients() {
    List<Tensor> g = new ArrayList<>();
    g.add(torch.randn(512, 256));
    for (int l = 0; l < 4; l++) {
      for (int i = 0; i < 4; i++) g.add(torch.randn(256, 256));
      for (int i = 0; i < 3; i++) g.add(torch.randn(1024, 256));
      g.add(torch.randn(256));
      g.add(torch.randn(256));
    }
    g.add(torch.randn(256));
    g.add(torch.randn(512, 256));
    return g;
  }

  private static double mb() { return 4.0 * (2 * 512 * 256 + 4 * (4 * 256 * 256 + 3 * 1024 * 256 + 512) + 256) / (1 << 20); }

  /** Rank 0 records into out = {wall[config][rep], {cpu[config]}}; rank 1 passes null. */
  private static void run(Distributed d, int rounds, int reps, double[][][] out) {
    try (NativeScope scope = NativeScope.open()) {
      List<Tensor> g = gradients();
      for (int i = 0; i < 3; i++) d.allReduceMean(g, 0); // warm-up
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < BUCKETS_MB.length; c++) {
          long cpu0 = os.getProcessCpuTime();
          for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            d.allReduceMean(g, BUCKETS_MB[c] << 20);
            if (out != null) out[0][c][r * reps + k] = (System.nanoTime() - t0) / 1e9;
          }
          if (out != null) out[1][0][c] += (os.getProcessCpuTime() - cpu0) / 1e9;
        }
      }
    }
  }
}

package org.rlhf4j.models.nn;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a {@link VectorGemv} product's output range over as many threads as libtorch's intra-op pool has
 * ({@code --threads}, {@code RLHF4J_THREADS}): the calling thread takes the first share, daemon workers the rest.
 * Products under {@value #MIN_PARALLEL} weight elements run on the caller alone (handing work over costs more).
 */
final class GemvPool {
  private GemvPool() {}

  /** Weight elements below which a product is not split. */
  static final long MIN_PARALLEL = 1L << 18;

  /** Work on the output range [from, to). */
  interface Range { void run(int from, int to); }

  private static volatile ExecutorService workers;
  private static int workerCount;

  /** Runs {@code body} over [0, n), split in multiples of 64 outputs when the weight has {@code elements} or more. */
  static void run(int n, long elements, Range body) {
    int threads = elements < MIN_PARALLEL ? 1 : Math.min(org.bytedeco.pytorch.global.torch.get_num_threads(), Math.max(1, n / 64));
    if (threads <= 1) {
      body.run(0, n);
      return;
    }
    ExecutorService pool = pool(threads - 1);
    int share = ((n + threads - 1) / threads + 63) / 64 * 64;
    Future<?>[] rest = new Future<?>[threads - 1];
    for (int t = 1; t < threads; t++) {
      int from = Math.min(n, t * share), to = Math.min(n, (t + 1) * share);
      rest[t - 1] = pool.submit(() -> body.run(from, to));
    }
    body.run(0, Math.min(n, share));
    for (Future<?> f : rest) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during a matmul", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("matmul worker failed: " + e.getCause(), e.getCause());
      }
    }
  }

  private static synchronized ExecutorService pool(int size) {
    if (workers == null || workerCount < size) {
      if (workers != null) workers.shutdown();
      workers = Executors.newFixedThreadPool(size, r -> {
        Thread t = new Thread(r, "rlhf4j-gemv");
        t.setDaemon(true);
        return t;
      });
      workerCount = size;
    }
    return workers;
  }
}

package org.rlhf4j.models.nn;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a {@link VectorGemv} product's output range over as many threads as libtorch's intra-op pool has
 * ({@code --threads}, {@code RLHF4J_THREADS}). The range is cut into {@value #CHUNKS_PER_THREAD} chunks per thread
 * (multiples of 64 outputs) that the calling thread and daemon workers claim one at a time: a worker the scheduler
 * has not run yet (another process on the other core) finds the chunks taken and the caller never waits for it,
 * where a fixed half-and-half split waited a whole time slice for the half whose thread was not running. Products
 * under {@value #MIN_PARALLEL} weight elements run on the caller alone (handing work over costs more).
 */
final class GemvPool {
  private GemvPool() {}

  /** Weight elements below which a product is not split. */
  static final long MIN_PARALLEL = 1L << 18;

  /** Chunks per thread: enough for the caller to take over a late worker's share, few enough to stream. */
  static final int CHUNKS_PER_THREAD = 4;

  /** Work on the output range [from, to). */
  interface Range { void run(int from, int to); }

  private static volatile ExecutorService workers;
  private static int workerCount;

  /** Runs {@code body} over [0, n), split in chunks of multiples of 64 outputs when the weight has {@code elements} or more. */
  static void run(int n, long elements, Range body) {
    int threads = threads(n, elements);
    if (threads <= 1) {
      body.run(0, n);
      return;
    }
    int chunk = ((n + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD) + 63) / 64 * 64;
    each((n + chunk - 1) / chunk, threads, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
  }

  /** Runs {@code chunk} for every index in [0, count), claimed by up to {@code threads} threads (the caller among them). */
  static void each(int count, int threads, java.util.function.IntConsumer chunk) {
    if (threads <= 1 || count <= 1) {
      for (int c = 0; c < count; c++) chunk.accept(c);
      return;
    }
    Claims claims = new Claims(count, chunk, Thread.currentThread());
    ExecutorService pool = pool(threads - 1);
    for (int t = 1; t < Math.min(threads, count); t++) pool.execute(claims::work);
    claims.work();
    claims.awaitAll();
  }

  /** The threads a product of {@code n} outputs over {@code elements} weights is split over (1: not split). */
  static int threads(int n, long elements) {
    if (elements < MIN_PARALLEL) return 1;
    return Math.min(org.bytedeco.pytorch.global.torch.get_num_threads(), Math.max(1, n / 64));
  }

  /** One product's chunks: a claim counter, a completion counter, the first failure. */
  private static final class Claims {
    private final int count;
    private final java.util.function.IntConsumer body;
    private final Thread caller;
    private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
    private volatile Throwable failure;

    Claims(int count, java.util.function.IntConsumer body, Thread caller) {
      this.count = count;
      this.body = body;
      this.caller = caller;
    }

    /** Claims and runs chunks until none is left. */
    void work() {
      for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
        try {
          if (failure == null) body.accept(c);
        } catch (Throwable e) {
          failure = e;
        } finally {
          if (done.incrementAndGet() == count) LockSupport.unpark(caller);
        }
      }
    }

    /** On the caller, after its own {@link #work}: waits only for chunks other threads are still running. */
    void awaitAll() {
      boolean interrupted = false;
      while (done.get() < count) { // never return early: the workers write into the output tensor
        LockSupport.parkNanos(this, 50_000);
        interrupted |= Thread.interrupted();
      }
      if (interrupted) Thread.currentThread().interrupt();
      Throwable f = failure;
      if (f instanceof RuntimeException r) throw r;
      if (f instanceof Error e) throw e;
      if (f != null) throw new IllegalStateException("matmul worker failed: " + f, f);
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

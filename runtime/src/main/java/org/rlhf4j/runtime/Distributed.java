package org.rlhf4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;

/**
 * One process's membership of a data-parallel group on libtorch's own c10d: a {@code TCPStore} rendezvous at
 * {@code MASTER_ADDR:MASTER_PORT} (rank 0 serves it) and a {@code ProcessGroupGloo} over it (CPU tensors; NCCL
 * would be the CUDA backend). Configured as torchrun does, from {@code RANK}, {@code WORLD_SIZE},
 * {@code MASTER_ADDR}, {@code MASTER_PORT}, plus {@code RLHF4J_DIST_TIMEOUT_S} (default 120): every collective
 * and the rendezvous fail with an error after that long instead of hanging when a rank has died, and
 * {@code RLHF4J_DIST_BUCKET_MB} (default 4; 0 = one bucket): the size of the gradient all-reduce's buckets
 * ({@link #allReduceMeanInBuckets}). PyTorch DDP's {@code bucket_cap_mb} is 25; on Gloo over loopback 17 MB of
 * gradients took 0.58-0.63x one bucket's time in 4 MB buckets, 0.9x in 1 MB, 1.0x in 25 MB (AllReduceBench, test scope).
 *
 * <p>The process-wide group ({@link #current()}) is joined once, by {@link #initFromEnvironment()}; the training
 * loop asks for it (all-reduced gradients, rank 0 writes). Collectives are blocking and run on the calling thread.
 */
public final class Distributed implements AutoCloseable {
  private static volatile Distributed current;

  private final int rank, world;
  private final long timeoutMs;
  private long bucketBytes = 4L << 20;
  private final TCPStore store;
  private final ProcessGroupGloo group;

  private Distributed(int rank, int world, String host, int port, long timeoutMs) {
    if (world < 1 || rank < 0 || rank >= world) throw new IllegalArgumentException("RANK " + rank + " must be in [0, WORLD_SIZE " + world + ")");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("MASTER_PORT " + port + " is not a TCP port");
    this.rank = rank;
    this.world = world;
    this.timeoutMs = timeoutMs;
    TCPStoreOptions o = new TCPStoreOptions();
    o.port((short) port);
    o.isServer(rank == 0);
    o.waitWorkers(false);
    o.timeout(new Milliseconds(timeoutMs));
    this.store = new TCPStore(host, o);
    ProcessGroupGloo.Options g = ProcessGroupGloo.Options.create(new Milliseconds(timeoutMs));
    String ifname = System.getenv("GLOO_SOCKET_IFNAME");
    g.devices().push_back(ifname != null ? ProcessGroupGloo.createDeviceForInterface(ifname)
        : ProcessGroupGloo.createDeviceForHostname(host.equals("localhost") ? "127.0.0.1" : host));
    this.group = new ProcessGroupGloo(store, rank, world, g);
  }

  /** A group member that is not the process-wide one (tests: two ranks as two threads of one JVM). */
  static Distributed join(int rank, int world, String host, int port, long timeoutMs) {
    return new Distributed(rank, world, host, port, timeoutMs);
  }

  /**
   * Joins the group the environment describes (WORLD_SIZE set), once per process; empty when WORLD_SIZE is unset.
   * Errors name the variable.
   */
  public static synchronized Optional<Distributed> initFromEnvironment() {
    return initFrom(System.getenv());
  }

  static synchronized Optional<Distributed> initFrom(Map<String, String> env) {
    if (current != null) return Optional.of(current);
    if (env.get("WORLD_SIZE") == null) return Optional.empty();
    int world = intVar(env, "WORLD_SIZE", null);
    int rank = intVar(env, "RANK", null);
    String host = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
    int port = intVar(env, "MASTER_PORT", "29500");
    long timeout = 1000L * intVar(env, "RLHF4J_DIST_TIMEOUT_S", "120");
    int bucketMb = intVar(env, "RLHF4J_DIST_BUCKET_MB", "4");
    if (bucketMb < 0) throw new IllegalArgumentException("RLHF4J_DIST_BUCKET_MB=" + bucketMb + " must be >= 0 (0 = one bucket)");
    current = new Distributed(rank, world, host, port, timeout);
    current.bucketBytes = (long) bucketMb << 20;
    return Optional.of(current);
  }

  private static int intVar(Map<String, String> env, String name, String dflt) {
    String v = env.getOrDefault(name, dflt);
    if (v == null) throw new IllegalArgumentException(name + " is not set (WORLD_SIZE is: a data-parallel rank needs RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT)");
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not an integer");
    }
  }

  /** The group this process joined, if any. */
  public static Optional<Distributed> current() { return Optional.ofNullable(current); }

  public int rank() { return rank; }
  public int worldSize() { return world; }
  public boolean isMain() { return rank == 0; }

  /**
   * Sums {@code tensors} (float, same shapes on every rank) across the group in place, as one flat bucket, then
   * divides by the world size: the ranks' mean.
   */
  public void allReduceMean(List<Tensor> tensors) { allReduceMean(tensors, 0); }

  /** {@link #allReduceMean(List, long)} in this group's buckets ({@code RLHF4J_DIST_BUCKET_MB}): the gradients' all-reduce. */
  public void allReduceMeanInBuckets(List<Tensor> tensors) { allReduceMean(tensors, bucketBytes); }

  /** The gradient buckets' size in bytes (0: one bucket). */
  public long bucketBytes() { return bucketBytes; }

  /**
   * The ranks' mean of {@code tensors} in place, in buckets of consecutive tensors of at most {@code bucketBytes} (a
   * larger tensor is a bucket of its own; 0 = one bucket): every bucket's all-reduce is started before the first is
   * waited on, so packing one bucket overlaps the transfer of those before it (Gloo works them off in order on its own
   * threads). The sums are the same whatever the buckets (each element is reduced alone).
   */
  public void allReduceMean(List<Tensor> tensors, long bucketBytes) {
    if (tensors.isEmpty()) return;
    List<List<Tensor>> buckets = buckets(tensors, bucketBytes);
    try (NativeScope s = NativeScope.open()) {
      List<Tensor> flats = new ArrayList<>(buckets.size());
      List<Work> works = new ArrayList<>(buckets.size());
      for (List<Tensor> b : buckets) {
        TensorVector parts = new TensorVector();
        for (Tensor t : b) parts.push_back(t.reshape(-1));
        Tensor flat = torch.cat(parts);                                  // (N)
        flats.add(flat);
        works.add(group.allreduce(new TensorVector(flat)));
      }
      for (int i = 0; i < buckets.size(); i++) {
        await(works.get(i), "all-reduce");
        Tensor flat = flats.get(i).div_(Tensors.scalar(world));
        long at = 0;
        for (Tensor t : buckets.get(i)) {
          long n = t.numel();
          t.copy_(flat.narrow(0, at, n).view_as(t));
          at += n;
        }
      }
    }
  }

  /** Consecutive tensors grouped into buckets of at most {@code bytes} (0: all in one). */
  static List<List<Tensor>> buckets(List<Tensor> tensors, long bytes) {
    List<List<Tensor>> out = new ArrayList<>();
    List<Tensor> cur = new ArrayList<>();
    long size = 0;
    for (Tensor t : tensors) {
      long b = t.numel() * t.element_size();
      if (bytes > 0 && !cur.isEmpty() && size + b > bytes) {
        out.add(cur);
        cur = new ArrayList<>();
        size = 0;
      }
      cur.add(t);
      size += b;
    }
    if (!cur.isEmpty()) out.add(cur);
    return out;
  }

  /** Overwrites {@code tensors} on every rank with rank 0's (the starting weights). */
  public void broadcastFromMain(List<Tensor> tensors) {
    try (NativeScope s = NativeScope.open()) {
      for (Tensor t : tensors) {
        Tensor c = t.detach().contiguous();
        await(group.broadcast(new TensorVector(c)), "broadcast");
        if (!c.is_same(t)) t.detach().copy_(c);
      }
    } finally {
      OneDnn.markWeightsRewritten(); // a contiguous tensor was written in place, its version counter untouched
    }
  }

  /** Waits until every rank has arrived here. */
  public void barrier() {
    try (NativeScope s = NativeScope.open()) {
      await(group.allreduce(new TensorVector(Tensors.zeros(DType.F32, Device.CPU, 1))), "barrier");
    }
  }

  private void await(Work w, String what) {
    try {
      w._wait(new Milliseconds(timeoutMs));
    } catch (RuntimeException e) {
      throw new IllegalStateException("data-parallel " + what + " on rank " + rank + " of " + world + " failed (a rank died or "
          + "timed out after " + timeoutMs / 1000 + " s, RLHF4J_DIST_TIMEOUT_S): " + e.getMessage(), e);
    }
  }

  @Override public synchronized void close() {
    if (current == this) current = null;
  }
}

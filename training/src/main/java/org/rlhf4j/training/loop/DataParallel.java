package org.rlhf4j.training.loop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Distributed;
import org.rlhf4j.runtime.Tensors;

/**
 * The loop's data-parallel side over the process's {@link Distributed} group (none: a single process, every
 * method a no-op): the ranks start from rank 0's weights, average their gradients after the last backward of
 * each optimizer step (in buckets, {@code RLHF4J_DIST_BUCKET_MB}, all in flight at once; before clipping, so every
 * rank clips and steps alike) and
 * average the logged loss and metrics; only rank 0 writes (metrics.jsonl, checkpoints, the final model).
 * Each rank trains on its share of every global batch ({@code BatchSampler.shard}), so with equal shares the
 * averaged gradient is the one of the mean loss over the global batch, as PyTorch DDP's.
 */
final class DataParallel {
  private final Distributed group;

  private DataParallel(Distributed group) { this.group = group; }

  static DataParallel current() { return new DataParallel(Distributed.current().orElse(null)); }

  boolean active() { return group != null; }

  /** Whether this process writes the run's files (rank 0, or the only process). */
  boolean writes() { return group == null || group.isMain(); }

  /** Every rank continues from rank 0's parameters (initialisation or a resumed checkpoint). */
  void startFromMain(Collection<Tensor> params) {
    if (group == null) return;
    try (NoGradGuard g = new NoGradGuard()) {
      group.broadcastFromMain(new ArrayList<>(params));
    }
  }

  /** Averages the gradients over the ranks; a parameter without one contributes zeros (and then has one). */
  void averageGradients(Collection<Tensor> params) {
    if (group == null) return;
    List<Tensor> grads = new ArrayList<>(params.size());
    for (Tensor p : params) {
      if (!p.grad().defined()) p.mutable_grad().put(torch.zeros_like(p));
      grads.add(p.grad());
    }
    group.allReduceMeanInBuckets(grads);
  }

  /**
   * The ranks' mean of {@code values} (the micro-batches' loss sum, then each metric in {@code keys} order), and
   * the ranks' total of {@code tokens}: what rank 0 logs.
   */
  double[] average(double[] values, long[] tokens) {
    if (group == null) return values;
    float[] v = new float[values.length + 1];
    for (int i = 0; i < values.length; i++) v[i] = (float) values[i];
    v[values.length] = tokens[0];
    Tensor t = Tensors.floats(v, Device.CPU, v.length); // (K+1)
    group.allReduceMean(List.of(t));
    float[] r = Tensors.toFloats(t.to(DType.F32.scalarType()));
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) out[i] = r[i];
    tokens[0] = Math.round((double) r[values.length] * group.worldSize());
    return out;
  }

  /** Keys in a fixed order for {@link #average} (every rank's step returns the same metrics). */
  static List<String> keys(Map<String, Double> metrics) { return new ArrayList<>(new java.util.TreeMap<>(metrics).keySet()); }
}

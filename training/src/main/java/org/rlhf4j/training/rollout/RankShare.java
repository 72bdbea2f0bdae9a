package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Distributed;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.Masked;

/**
 * The on-policy loop's data-parallel side (over the process's {@link Distributed} group; without one every method is
 * the single process's: no communication, the same numbers). Each rank samples, scores and prepares its contiguous
 * share of every iteration's prompts (a prompt's k samples stay together, so RLOO/GRPO group baselines need nothing
 * from other ranks) and updates on its share; what is computed over the whole rollout is made global here: masked
 * whitening of PPO's rewards and advantages (two all-reduces: sums and counts, then squared deviations), the KL
 * controller's mean sequence KL, the token counts a global token mean divides by (GRPO's {@code dapo}), and the
 * rollout metrics (each rank's shard mean, averaged: equal shares make it the global mean; {@code reward_std} is the
 * ranks' mean of their std, not the global std). Gradients are averaged by the training loop.
 */
public final class RankShare {
  private final Distributed group; // null: one process

  private RankShare(Distributed group) { this.group = group; }

  /** The current process's share (the whole batch when it joined no group). */
  public static RankShare current() { return new RankShare(Distributed.current().orElse(null)); }

  public boolean active() { return group != null; }

  public int rank() { return group == null ? 0 : group.rank(); }

  public int ranks() { return group == null ? 1 : group.worldSize(); }

  /** Sums of {@code values} over the ranks (float64). */
  public double[] sum(double... values) {
    if (group == null || values.length == 0) return values.clone();
    Tensor t = Tensors.doubles(values, Device.CPU, values.length); // (K)
    group.allReduceMean(List.of(t));
    double[] out = Tensors.toDoubles(t);
    for (int i = 0; i < out.length; i++) out[i] *= group.worldSize();
    return out;
  }

  /** The ranks' mean of {@code value}. */
  public double mean(double value) { return sum(value)[0] / ranks(); }

  /**
   * {@link Masked#whiten} over every rank's rows together: the global masked mean and (unbiased) variance, so each
   * rank's rows are whitened as one process whitens the whole batch.
   */
  public Tensor whiten(Tensor x, Tensor mask, boolean unbiased, double eps, boolean shiftMean) {
    if (group == null) return Masked.whiten(x, mask, unbiased, eps, shiftMean);
    Tensor m = mask.to(x.scalar_type()); // (...)
    double[] first = sum(Masked.sum(x, m).item_double(), m.sum().item_double());
    double n = first[1], mu = first[0] / n;
    Tensor centered = x.sub(Tensors.scalar(mu)); // (...)
    double sq = sum(Masked.sum(centered.square(), m).item_double())[0];
    if (unbiased && n < 2) throw new IllegalArgumentException("unbiased masked variance needs >= 2 counted positions, got " + n);
    double var = sq / n * (unbiased ? n / (n - 1) : 1);
    Tensor w = centered.mul(Tensors.scalar(1 / Math.sqrt(var + eps))); // (...)
    if (!shiftMean) w = w.add(Tensors.scalar(mu)); // (...)
    return w.mul(m); // (...)
  }

  /** Replaces each metric by the ranks' mean (every rank logs the same keys). */
  public void average(Map<String, Double> metrics) {
    if (group == null || metrics.isEmpty()) return;
    List<String> keys = new ArrayList<>(new TreeMap<>(metrics).keySet());
    double[] v = new double[keys.size()];
    for (int i = 0; i < v.length; i++) v[i] = metrics.get(keys.get(i));
    double[] s = sum(v);
    for (int i = 0; i < v.length; i++) metrics.put(keys.get(i), s[i] / ranks());
  }
}

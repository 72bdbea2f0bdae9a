package org.rlhf4j.training.grpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.ppo.ResponseBatch;
import org.rlhf4j.training.ppo.Samples;

/** One scored group rollout in Java arrays: per-token (B, R) row-major, one advantage per row. */
final class GroupBuffer {
  final int iteration;
  final Samples samples;
  final int width;
  final float[] oldLogps; // null: one update per batch (ratio against the detached current log-probs)
  final float[] refLogps; // null: no reference term
  float[] rowAdvantages;
  final Map<String, Double> metrics = new LinkedHashMap<>();

  GroupBuffer(int iteration, Samples samples, int width, float[] oldLogps, float[] refLogps) {
    this.iteration = iteration;
    this.samples = samples;
    this.width = width;
    this.oldLogps = oldLogps;
    this.refLogps = refLogps;
  }

  ResponseBatch batch(List<Integer> rows, int padId, Device device) {
    List<long[]> p = new ArrayList<>(rows.size()), r = new ArrayList<>(rows.size());
    for (int i : rows) { p.add(samples.prompts().get(i)); r.add(samples.responses().get(i)); }
    return ResponseBatch.of(p, r, padId, device, width);
  }

  /** (rows, R) of a per-token array, or null when it is null. */
  Tensor rows(float[] data, List<Integer> rows, Device device) {
    if (data == null) return null;
    float[] out = new float[rows.size() * width];
    for (int k = 0; k < rows.size(); k++) System.arraycopy(data, rows.get(k) * width, out, k * width, width);
    return Tensors.floats(out, device, rows.size(), width); // (rows, R)
  }

  /** (rows) advantages. */
  Tensor advantages(List<Integer> rows, Device device) {
    float[] out = new float[rows.size()];
    for (int k = 0; k < rows.size(); k++) out[k] = rowAdvantages[rows.get(k)];
    return Tensors.floats(out, device, rows.size()); // (rows)
  }
}

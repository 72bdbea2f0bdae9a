package org.rlhf4j.training.ppo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/**
 * A scored rollout batch kept in Java arrays (so it outlives the loop's per-step native scopes):
 * per-token (B, R) arrays flattened row-major, and the iteration's metrics.
 */
final class RolloutBuffer {
  int iteration;
  final Samples samples;
  final int width; // R
  final float[] mask, oldLogps, refLogps, values, advantages, returns;
  final Map<String, Double> metrics = new LinkedHashMap<>();

  RolloutBuffer(int iteration, Samples samples, int width) {
    this.iteration = iteration;
    this.samples = samples;
    this.width = width;
    int n = samples.size() * width;
    mask = new float[n];
    oldLogps = new float[n];
    refLogps = new float[n];
    values = new float[n];
    advantages = new float[n];
    returns = new float[n];
    for (int i = 0; i < samples.size(); i++) java.util.Arrays.fill(mask, i * width, i * width + samples.responses().get(i).length, 1f);
  }

  RolloutBuffer withIteration(int it) {
    iteration = it;
    return this;
  }

  /** Prompt + response batch of the given rows, responses padded to the buffer's width. */
  ResponseBatch batch(List<Integer> rows, int padId, Device device) {
    List<long[]> p = new ArrayList<>(rows.size()), r = new ArrayList<>(rows.size());
    for (int i : rows) { p.add(samples.prompts().get(i)); r.add(samples.responses().get(i)); }
    return ResponseBatch.of(p, r, padId, device, width);
  }

  /** (rows, R) tensor of one per-token array. */
  Tensor rows(float[] data, List<Integer> rows, Device device) {
    float[] out = new float[rows.size() * width];
    for (int k = 0; k < rows.size(); k++) System.arraycopy(data, rows.get(k) * width, out, k * width, width);
    return Tensors.floats(out, device, rows.size(), width); // (rows, R)
  }

  /** Copies a (b, R) tensor into rows {@code from..from+b-1} of {@code data}. */
  void put(float[] data, int from, Tensor t) {
    float[] v = Tensors.toFloats(t);
    System.arraycopy(v, 0, data, from * width, v.length);
  }

  /** (B, R) tensor of a whole per-token array. */
  Tensor all(float[] data, Device device) { return Tensors.floats(data, device, samples.size(), width); }
}

package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/**
 * A rollout's responses as fixed-width rows, and per-token quantities kept in Java arrays so they outlive the
 * loop's per-step native scopes: (B, R) flattened row-major, R the longest response ({@link #width}).
 */
public final class RolloutRows {
  private final Samples samples;
  private final int width;

  public RolloutRows(Samples samples) {
    this.samples = samples;
    this.width = width(samples);
  }

  /** Width R of a rollout batch: its longest response (at least 1). */
  public static int width(Samples s) {
    return Math.max(1, s.responses().stream().mapToInt(r -> r.length).max().orElse(0));
  }

  public Samples samples() { return samples; }

  public int width() { return width; }

  /** A new zeroed per-token array (B * R). */
  public float[] perToken() { return new float[samples.size() * width]; }

  /** 1 on each row's real response tokens, 0 on padding (B * R). */
  public float[] mask() {
    float[] m = perToken();
    for (int i = 0; i < samples.size(); i++) java.util.Arrays.fill(m, i * width, i * width + samples.responses().get(i).length, 1f);
    return m;
  }

  /** Prompt + response batch of the given rows, responses padded to the rollout's width. */
  public ResponseBatch batch(List<Integer> rows, int padId, Device device) {
    List<long[]> p = new ArrayList<>(rows.size()), r = new ArrayList<>(rows.size());
    for (int i : rows) { p.add(samples.prompts().get(i)); r.add(samples.responses().get(i)); }
    return ResponseBatch.of(p, r, padId, device, width);
  }

  /** (rows, R) tensor of one per-token array, or null when the array is null. */
  public Tensor rows(float[] data, List<Integer> rows, Device device) {
    if (data == null) return null;
    float[] out = new float[rows.size() * width];
    for (int k = 0; k < rows.size(); k++) System.arraycopy(data, rows.get(k) * width, out, k * width, width);
    return Tensors.floats(out, device, rows.size(), width); // (rows, R)
  }

  /** (rows) tensor of one per-row array. */
  public Tensor perRow(float[] data, List<Integer> rows, Device device) {
    float[] out = new float[rows.size()];
    for (int k = 0; k < rows.size(); k++) out[k] = data[rows.get(k)];
    return Tensors.floats(out, device, rows.size()); // (rows)
  }

  /** (B, R) tensor of a whole per-token array. */
  public Tensor all(float[] data, Device device) { return Tensors.floats(data, device, samples.size(), width); }

  /**
   * Response token log-probs (B*R, 0 on padding) of {@code model} under logits / temperature, in chunks of
   * {@code chunk} rows; call under no-grad.
   */
  public float[] logprobs(CausalLM model, int padId, double temperature, int chunk) {
    float[] out = perToken();
    for (int from = 0; from < samples.size(); from += chunk) {
      int to = Math.min(samples.size(), from + chunk);
      try (NativeScope scope = NativeScope.open()) {
        ResponseBatch rb = batch(java.util.stream.IntStream.range(from, to).boxed().toList(), padId, model.device());
        put(out, from, rb.chunkedForward(model, temperature, 0).logprobs()); // (b, R), never the (b, R, V) logits
      }
    }
    return out;
  }

  /** Copies a (b, R) tensor into rows {@code from .. from+b-1} of {@code data}. */
  public void put(float[] data, int from, Tensor t) {
    float[] v = Tensors.toFloats(t);
    System.arraycopy(v, 0, data, from * width, v.length);
  }
}

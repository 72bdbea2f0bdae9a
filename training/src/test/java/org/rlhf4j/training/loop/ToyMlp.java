package org.rlhf4j.training.loop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.HasParameters;

/** Test model: y = fc2(relu(fc1(x))), weights drawn from java.util.Random(seed). */
final class ToyMlp implements HasParameters {
  final int in, hidden;
  private final Map<String, Tensor> params = new LinkedHashMap<>();

  ToyMlp(int in, int hidden, long seed) {
    this.in = in;
    this.hidden = hidden;
    Random r = new Random(seed);
    params.put("fc1.weight", init(r, 1 / Math.sqrt(in), hidden, in));
    params.put("fc1.bias", init(r, 0.1, hidden));
    params.put("fc2.weight", init(r, 1 / Math.sqrt(hidden), 1, hidden));
    params.put("fc2.bias", init(r, 0.1, 1));
  }

  private static Tensor init(Random r, double scale, long... shape) {
    long n = 1;
    for (long s : shape) n *= s;
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * scale);
    return fromFloats(v, shape).requires_grad_(true);
  }

  static Tensor fromFloats(float[] v, long... shape) {
    Tensor t = torch.empty(shape);
    t.data_ptr_float().put(v);
    return t;
  }

  static float[] floats(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }

  @Override public Map<String, Tensor> parameters() { return params; }

  /** (B, in) -> (B, 1) */
  Tensor forward(Tensor x) {
    Tensor h = torch.relu(torch.linear(x, params.get("fc1.weight"), params.get("fc1.bias"))); // (B, H)
    return torch.linear(h, params.get("fc2.weight"), params.get("fc2.bias")); // (B, 1)
  }

  /** Mean squared error against the targets. */
  Tensor loss(ToyData.Batch b) {
    Tensor diff = forward(b.x()).sub(b.y()); // (B, 1)
    return diff.mul(diff).mean(); // ()
  }
}

package org.rlhf4j.models.llama;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Tensors;

/** Rotary position embedding, Hugging Face "rotate_half" layout (frequencies repeated twice). */
final class Rope {
  private final Tensor invFreq; // (D/2)

  Rope(int headDim, double theta) {
    float[] f = new float[headDim / 2];
    for (int i = 0; i < f.length; i++) f[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
    this.invFreq = Tensor.create(f, f.length);
  }

  /**
   * cos and the signed sin for positions (B, T): each (B, 1, T, D), float32; the sin's first half is negated, so that
   * rotate_half(x) * sin = roll(x, D/2) * signedSin (one roll instead of two narrows, a neg and a cat per tensor).
   */
  Tensor[] cosSin(Tensor positions) {
    Tensor inv = invFreq.to(positions.device(), torch.ScalarType.Float);
    Tensor freqs = positions.to(torch.ScalarType.Float).unsqueeze(-1).mul(inv); // (B, T, D/2)
    Tensor sin = freqs.sin();                                                    // (B, T, D/2)
    Tensor cos = freqs.cos();                                                    // (B, T, D/2)
    return new Tensor[] {Tensors.cat(-1, cos, cos).unsqueeze(1), Tensors.cat(-1, sin.neg(), sin).unsqueeze(1)}; // (B, 1, T, D)
  }

  /** x * cos + rotate_half(x) * sin for x (B, H, T, D), rotate_half(x) = cat(-x2, x1), in float32. */
  static Tensor apply(Tensor x, Tensor cos, Tensor signedSin) {
    long half = x.size(-1) / 2;
    Tensor xf = x.to(torch.ScalarType.Float);                                    // (B, H, T, D)
    Tensor rolled = xf.roll(new long[] {half}, new long[] {-1});                 // cat(x2, x1)
    return xf.mul(cos).add(rolled.mul(signedSin)).to(x.scalar_type());           // (B, H, T, D)
  }
}

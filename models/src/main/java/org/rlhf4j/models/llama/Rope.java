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

  /** cos and sin for positions (B, T): each (B, 1, T, D), float32. */
  Tensor[] cosSin(Tensor positions) {
    Tensor inv = invFreq.to(positions.device(), torch.ScalarType.Float);
    Tensor freqs = positions.to(torch.ScalarType.Float).unsqueeze(-1).mul(inv); // (B, T, D/2)
    Tensor emb = Tensors.cat(-1, freqs, freqs);                                  // (B, T, D)
    return new Tensor[] {emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)};        // (B, 1, T, D)
  }

  /** x * cos + rotate_half(x) * sin for x (B, H, T, D). */
  static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
    long half = x.size(-1) / 2;
    Tensor x1 = x.narrow(-1, 0, half);                  // (B, H, T, D/2)
    Tensor x2 = x.narrow(-1, half, half);               // (B, H, T, D/2)
    Tensor rotated = Tensors.cat(-1, x2.neg(), x1);     // (B, H, T, D)
    Tensor xf = x.to(torch.ScalarType.Float);
    return xf.mul(cos).add(rotated.to(torch.ScalarType.Float).mul(sin)).to(x.scalar_type()); // (B, H, T, D)
  }
}

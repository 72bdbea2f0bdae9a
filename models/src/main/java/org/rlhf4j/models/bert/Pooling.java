package org.rlhf4j.models.bert;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

/** Sentence-transformers pooling: masked mean over tokens, and L2 normalisation. */
public final class Pooling {
  private Pooling() {}

  /** sum(hidden * mask) / max(sum(mask), 1e-9) over T: (B, T, H), (B, T) -> (B, H). */
  public static Tensor mean(Tensor hidden, Tensor attentionMask) {
    Tensor m = attentionMask.to(hidden.scalar_type()).unsqueeze(2);           // (B, T, 1)
    Tensor summed = hidden.mul(m).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()); // (B, H)
    Tensor counts = m.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
        .clamp_min(new Scalar(1e-9));                                          // (B, 1)
    return summed.div(counts);                                                 // (B, H)
  }

  /** x / max(||x||_2, 1e-12) along the last dimension: (B, H) -> (B, H). */
  public static Tensor l2Normalise(Tensor x) {
    Tensor norm = x.norm(new ScalarOptional(new Scalar(2.0)), new long[] {-1}, true)
        .clamp_min(new Scalar(1e-12));                                         // (B, 1)
    return x.div(norm);                                                        // (B, H)
  }
}

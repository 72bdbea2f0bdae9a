package org.rlhf4j.models;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Attention masks and position ids for left-padded batches and cached decoding. */
public final class Masks {
  private Masks() {}

  /** HF generate() convention: cumsum(mask) - 1, and 1 at padding. {@code mask} (B, T) of 0/1. */
  public static Tensor positionsFromMask(Tensor mask) {
    Tensor m = mask.to(torch.ScalarType.Long);                   // (B, T)
    Tensor pos = torch.cumsum(m, 1).sub(new Scalar(1));           // (B, T)
    return pos.masked_fill(m.eq(new Scalar(0)), new Scalar(1));   // (B, T)
  }

  /**
   * Boolean (B, 1, T, S) mask: query i (at cache position offset + i) may see key j when
   * j <= offset + i and key j is a real token; every query also sees itself, so rows of padding
   * queries stay finite (their outputs are not used).
   *
   * @param keyValid (B, S) booleans, S = offset + T
   */
  public static Tensor causal(Tensor keyValid, int offset, int t) {
    long s = keyValid.size(1);
    TensorOptions longs = new TensorOptions(torch.ScalarType.Long).device(new org.bytedeco.pytorch.DeviceOptional(keyValid.device()));
    Tensor j = torch.arange(new Scalar(s), longs).view(1, s);                              // (1, S)
    Tensor i = torch.arange(new Scalar(offset), new Scalar(offset + t), longs).view(t, 1); // (T, 1)
    Tensor causal = j.le(i);                                                                // (T, S)
    Tensor self = j.eq(i);                                                                  // (T, S)
    Tensor valid = keyValid.to(torch.ScalarType.Bool).unsqueeze(1);                         // (B, 1, S)
    return valid.logical_and(causal).logical_or(self).unsqueeze(1);                         // (B, 1, T, S)
  }
}

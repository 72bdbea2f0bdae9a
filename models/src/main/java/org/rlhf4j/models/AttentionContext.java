package org.rlhf4j.models;

import org.bytedeco.pytorch.Tensor;

/**
 * What every attention layer needs for one forward call.
 *
 * @param positions position ids (B, T), HF convention for left padding
 * @param mask      boolean (B, 1, T, S) of allowed key positions, or null for plain causal attention (T > 1: query i
 *                  sees keys 0..i, so T = S; T = 1: the one query sees every key)
 * @param cache     the KV cache to read and extend, or null
 * @param checkpoint run the blocks through {@link Checkpointing} when gradients are recorded (never with a cache)
 */
public record AttentionContext(Tensor positions, Tensor mask, KvCache cache, boolean checkpoint) {
  public AttentionContext {
    if (checkpoint && cache != null) throw new IllegalArgumentException("gradient checkpointing with a KV cache (decoding records no gradients)");
  }

  public AttentionContext(Tensor positions, Tensor mask, KvCache cache) { this(positions, mask, cache, false); }
}

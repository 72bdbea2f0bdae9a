package org.rlhf4j.models;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Tensors;

/**
 * Pre-allocated key/value cache for incremental decoding: per layer (B, H_kv, capacity, D)
 * buffers, a key-validity mask (B, capacity) and the current length. Appending writes into the
 * buffers in place, so a decode step costs no reallocation.
 */
public final class KvCache {
  private final Tensor[] keys;
  private final Tensor[] values;
  private final Tensor keyValid;
  private final int capacity;
  private int length;

  public KvCache(ModelConfig cfg, int batch, int capacity, DType dtype, Device device) {
    this.capacity = capacity;
    this.keys = new Tensor[cfg.numLayers()];
    this.values = new Tensor[cfg.numLayers()];
    for (int l = 0; l < cfg.numLayers(); l++) {
      keys[l] = Tensors.zeros(dtype, device, batch, cfg.numKvHeads(), capacity, cfg.headDim());   // (B, Hkv, C, D)
      values[l] = Tensors.zeros(dtype, device, batch, cfg.numKvHeads(), capacity, cfg.headDim()); // (B, Hkv, C, D)
    }
    this.keyValid = Tensors.zeros(DType.BOOL, device, batch, capacity);                           // (B, C)
  }

  public int length() { return length; }
  public int capacity() { return capacity; }

  /** Records which of the next {@code T} positions hold real tokens; call once per forward, before the layers. */
  public void appendMask(Tensor valid) {
    int t = (int) valid.size(1);
    if (length + t > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " + " + t + " tokens exceed capacity " + capacity);
    }
    keyValid.narrow(1, length, t).copy_(valid);
  }

  /** Key validity for positions [0, length + t): (B, length + t). */
  public Tensor validUpTo(int t) { return keyValid.narrow(1, 0, length + t); }

  /** Writes layer {@code l}'s new keys/values (B, Hkv, T, D) and returns all cached ones including them. */
  public Tensor[] append(int layer, Tensor k, Tensor v) {
    int t = (int) k.size(2);
    keys[layer].narrow(2, length, t).copy_(k);
    values[layer].narrow(2, length, t).copy_(v);
    return new Tensor[] {keys[layer].narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)}; // (B, Hkv, S, D)
  }

  /** Advances the length after all layers have appended {@code t} positions. */
  public void advance(int t) { length += t; }
}

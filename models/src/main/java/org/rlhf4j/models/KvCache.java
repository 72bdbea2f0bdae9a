package org.rlhf4j.models;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/**
 * Pre-allocated key/value cache for incremental decoding: per layer (B, H_kv, capacity, D)
 * buffers, a key-validity mask (B, capacity) and the current length. Appending writes into the
 * buffers in place, so a decode step costs no reallocation. {@link #regroup} makes the cache of another batch
 * (rows leaving, rows joining: continuous batching); {@link #join} and {@link #without} change the batch in place,
 * within buffers allocated for up to {@code rowCapacity} rows (the cache's rows are views of their first ones).
 */
public final class KvCache implements AutoCloseable {
  private final ModelConfig cfg;
  private final DType dtype;
  private final Device device;
  private final int batch;
  private final Tensor[] keys;     // views of the first batch rows of the buffers below
  private final Tensor[] values;
  private final Tensor keyValid;
  private final Tensor[] allKeys;  // (rowCapacity, Hkv, C, D)
  private final Tensor[] allValues;
  private final Tensor allValid;   // (rowCapacity, C)
  private final int capacity;
  private int length;
  private boolean padded; // some appended key may be invalid: attention needs the mask

  public KvCache(ModelConfig cfg, int batch, int capacity, DType dtype, Device device) {
    this(cfg, batch, batch, capacity, dtype, device);
  }

  /** A cache of {@code batch} rows in buffers for {@code rowCapacity} (rows that {@link #join} later take the rest). */
  public KvCache(ModelConfig cfg, int batch, int rowCapacity, int capacity, DType dtype, Device device) {
    if (batch < 1 || capacity < 1 || rowCapacity < batch) {
      throw new IllegalArgumentException("KvCache: batch and capacity must be >= 1 and rowCapacity >= batch, got " + batch + ", "
          + capacity + ", " + rowCapacity);
    }
    this.cfg = cfg;
    this.dtype = dtype;
    this.device = device;
    this.batch = batch;
    this.capacity = capacity;
    this.allKeys = new Tensor[cfg.numLayers()];
    this.allValues = new Tensor[cfg.numLayers()];
    for (int l = 0; l < cfg.numLayers(); l++) {
      allKeys[l] = Tensors.zeros(dtype, device, rowCapacity, cfg.numKvHeads(), capacity, cfg.headDim());   // (R, Hkv, C, D)
      allValues[l] = Tensors.zeros(dtype, device, rowCapacity, cfg.numKvHeads(), capacity, cfg.headDim()); // (R, Hkv, C, D)
    }
    this.allValid = Tensors.zeros(DType.BOOL, device, rowCapacity, capacity);                              // (R, C)
    this.keys = rows(allKeys, batch);
    this.values = rows(allValues, batch);
    this.keyValid = rows(allValid, batch);
  }

  private static Tensor[] handles(Tensor[] all) {
    Tensor[] out = new Tensor[all.length];
    for (int l = 0; l < all.length; l++) out[l] = all[l].narrow(0, 0, all[l].size(0));
    return out;
  }

  private static Tensor[] rows(Tensor[] all, int n) {
    Tensor[] out = new Tensor[all.length];
    for (int l = 0; l < all.length; l++) out[l] = rows(all[l], n);
    return out;
  }

  /** The first {@code n} rows of {@code all} (itself when it has exactly n). */
  private static Tensor rows(Tensor all, int n) { return all.size(0) == n ? all : all.narrow(0, 0, n); }

  public int length() { return length; }
  public int batch() { return batch; }
  public int capacity() { return capacity; }
  /** Rows the buffers hold: {@link #join} fits while batch + joining rows stay within it. */
  public int rowCapacity() { return (int) allValid.size(0); }

  /** Records which of the next {@code T} positions hold real tokens; call once per forward, before the layers. */
  public void appendMask(Tensor valid) {
    int t = (int) valid.size(1);
    if (length + t > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " + " + t + " tokens exceed capacity " + capacity);
    }
    keyValid.narrow(1, length, t).copy_(valid);
    padded = true;
  }

  /** Records that the next {@code T} positions all hold real tokens (no padding); call instead of {@link #appendMask}. */
  public void appendAllValid(int t) {
    if (length + t > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " + " + t + " tokens exceed capacity " + capacity);
    }
    keyValid.narrow(1, length, t).fill_(new org.bytedeco.pytorch.Scalar(1));
  }

  /** True while every key appended so far was recorded valid by {@link #appendAllValid}: attention needs no mask. */
  public boolean unpadded() { return !padded; }

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

  /**
   * A cache for another batch: this cache's rows {@code keep} (in that order), then every row of {@code joining}
   * (null: none), all right-aligned in {@code length} positions (the columns a row lacks are invalid keys), with room
   * for {@code headroom} more. {@code length} must hold each kept row's valid keys (they are the last columns of
   * this cache) and all of {@code joining}'s; this cache is left as it was.
   */
  public KvCache regroup(long[] keep, KvCache joining, int length, int headroom) {
    return regroup(keep, joining, length, headroom, 0);
  }

  /** As {@link #regroup(long[], KvCache, int, int)}, in buffers with room for {@code spareRows} more rows to {@link #join}. */
  public KvCache regroup(long[] keep, KvCache joining, int length, int headroom, int spareRows) {
    int nA = keep.length, nB = joining == null ? 0 : joining.batch;
    if (joining != null && joining.length > length) throw new IllegalArgumentException("KvCache.regroup: length " + length + " < the joining rows' " + joining.length);
    KvCache out = new KvCache(cfg, nA + nB, nA + nB + Math.max(0, spareRows), length + Math.max(1, headroom), dtype, device);
    Tensor idx = nA == 0 ? null : Tensors.longs(keep, device);
    int ca = Math.min(this.length, length), cb = joining == null ? 0 : joining.length;
    for (int l = 0; l <= keys.length; l++) { // the last round moves the key-validity mask
      Tensor[] dst = l < keys.length ? new Tensor[] {out.keys[l], out.values[l]} : new Tensor[] {out.keyValid};
      Tensor[] a = l < keys.length ? new Tensor[] {keys[l], values[l]} : new Tensor[] {keyValid};
      Tensor[] b = joining == null ? null : l < keys.length ? new Tensor[] {joining.keys[l], joining.values[l]} : new Tensor[] {joining.keyValid};
      int time = l < keys.length ? 2 : 1;
      for (int k = 0; k < dst.length; k++) {
        if (nA > 0 && ca > 0) dst[k].narrow(0, 0, nA).narrow(time, length - ca, ca).copy_(a[k].index_select(0, idx).narrow(time, this.length - ca, ca));
        if (nB > 0 && cb > 0) dst[k].narrow(0, nA, nB).narrow(time, length - cb, cb).copy_(b[k].narrow(time, 0, cb));
      }
    }
    out.length = length;
    out.padded = true;
    return out;
  }

  /** A view of {@code from}'s buffers with its first {@code batch} rows. */
  private KvCache(KvCache from, int batch) {
    this.cfg = from.cfg;
    this.dtype = from.dtype;
    this.device = from.device;
    this.batch = batch;
    this.capacity = from.capacity;
    this.allKeys = handles(from.allKeys); // new handles on the same storage: closing `from` leaves these valid
    this.allValues = handles(from.allValues);
    this.allValid = from.allValid.narrow(0, 0, from.allValid.size(0));
    this.keys = rows(allKeys, batch);
    this.values = rows(allValues, batch);
    this.keyValid = rows(allValid, batch);
    this.length = from.length;
    this.padded = from.padded;
  }

  /**
   * The cache with {@code joining}'s rows added after this one's, made in place: they are copied, right-aligned, into
   * the spare rows of these buffers (columns before their keys invalid), or null when they do not fit (more rows than
   * {@link #rowCapacity}, more keys than this cache's length, or no column left to decode into): then {@link #regroup}.
   * Only the joining rows are copied, where a regroup copies every row. This cache must not be used afterwards except
   * to close it (its buffers are shared).
   */
  public KvCache join(KvCache joining) {
    int n = joining.batch, t = joining.length;
    if (batch + n > rowCapacity() || t > length || length >= capacity) return null;
    for (int l = 0; l <= keys.length; l++) { // the last round moves the key-validity mask
      Tensor[] dst = l < keys.length ? new Tensor[] {allKeys[l], allValues[l]} : new Tensor[] {allValid};
      Tensor[] src = l < keys.length ? new Tensor[] {joining.keys[l], joining.values[l]} : new Tensor[] {joining.keyValid};
      int time = l < keys.length ? 2 : 1;
      if (l == keys.length) allValid.narrow(0, batch, n).fill_(new org.bytedeco.pytorch.Scalar(0));
      for (int k = 0; k < dst.length; k++) {
        if (t > 0) dst[k].narrow(0, batch, n).narrow(time, length - t, t).copy_(src[k].narrow(time, 0, t));
      }
    }
    KvCache out = new KvCache(this, batch + n);
    out.padded = true;
    return out;
  }

  /**
   * The cache without the rows where {@code leave} is true, made in place: each leaving row among the first (B - k)
   * takes the last staying row beyond them (swap-remove), so only moved rows are copied and the result's buffers are
   * views of these buffers' first rows (same length and capacity). {@link #regroup} instead copies every staying row,
   * every layer, at each departure. Writes {@code order}: order[i] = the row of this cache now at row i. This cache
   * must not be used afterwards except to close it (its buffers are shared).
   */
  public KvCache without(boolean[] leave, long[] order) {
    if (leave.length != batch) throw new IllegalArgumentException("KvCache.without: " + leave.length + " flags for " + batch + " rows");
    int kept = 0;
    for (boolean l : leave) if (!l) kept++;
    if (kept == 0 || order.length != kept) throw new IllegalArgumentException("KvCache.without: keeps " + kept + " rows, order has " + order.length);
    int mover = batch - 1;
    for (int i = 0; i < kept; i++) {
      if (!leave[i]) {
        order[i] = i;
        continue;
      }
      while (leave[mover]) mover--;  // the last staying row, beyond the first kept ones
      order[i] = mover;
      move(mover--, i);
    }
    return new KvCache(this, kept);
  }

  private void move(int from, int to) {
    for (int l = 0; l < keys.length; l++) {
      keys[l].narrow(0, to, 1).copy_(keys[l].narrow(0, from, 1));
      values[l].narrow(0, to, 1).copy_(values[l].narrow(0, from, 1));
    }
    keyValid.narrow(0, to, 1).copy_(keyValid.narrow(0, from, 1));
  }

  /** Keeps the buffers past {@code scope} (a cache that outlives the step that made it). */
  public KvCache keepIn(NativeScope scope) {
    for (Tensor t : handles()) scope.keep(t);
    return this;
  }

  /** Frees the buffers now (the handles of a view: the buffers go with the last cache over them). */
  @Override public void close() {
    for (Tensor t : handles()) t.close();
  }

  private java.util.Set<Tensor> handles() {
    java.util.Set<Tensor> s = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int l = 0; l < keys.length; l++) {
      s.add(keys[l]);
      s.add(values[l]);
      s.add(allKeys[l]);
      s.add(allValues[l]);
    }
    s.add(keyValid);
    s.add(allValid);
    return s;
  }
}

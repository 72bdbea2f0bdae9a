package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.OneDnn;

/**
 * One layer's weight in oneDNN's prepacked layout ({@link OneDnn#pack}), made at the first product that wants it and
 * remade whenever the weight may have changed: another storage, dtype or shape, an in-place write (the tensor's
 * version counter: optimizer steps, LoRA merges, checkpoint loads), or a collective that wrote the storage without
 * bumping it ({@link OneDnn#weightsRewritten}). The copy costs the weight's size in memory while it lives.
 * Thread-safe; one per weight tensor.
 */
public final class PackedWeight {
  private Tensor packed;
  private long address, version, epoch;
  private int dtype;
  private long[] shape;

  /**
   * The prepacked copy of {@code weight}, stored [out, in] ({@code outIn}) or [in, out] (then packed transposed).
   * Every call checks the weight's identity and version; repacking frees the previous copy.
   */
  public synchronized Tensor of(Tensor weight, boolean outIn) {
    long a = weight.data_ptr().address(), v = weight.__dispatch__version(), e = OneDnn.weightsRewritten();
    int d = weight.scalar_type().value;
    long[] s = weight.shape();
    if (packed == null || a != address || v != version || e != epoch || d != dtype || !java.util.Arrays.equals(s, shape)) {
      release();
      packed = OneDnn.pack(outIn ? weight : weight.t()); // pack() copies a transposed view into place first
      address = a;
      version = v;
      epoch = e;
      dtype = d;
      shape = s;
    }
    return packed;
  }

  /** Frees the copy now (the next product packs again). */
  public synchronized void release() {
    if (packed != null) packed.close();
    packed = null;
  }
}

package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.OneDnn;

/**
 * One layer's weight in oneDNN's prepacked layout ({@link OneDnn#pack}), or a bfloat16 [in, out] weight transposed to
 * the [out, in] rows the Vector API's bf16 kernel reads ({@link #outIn}), made at the first product that wants it and
 * remade whenever the weight may have changed: another storage, dtype or shape, an in-place write (the tensor's
 * version counter: optimizer steps, LoRA merges, checkpoint loads), or a collective that wrote the storage without
 * bumping it ({@link OneDnn#weightsRewritten}). The copy costs the weight's size in memory while it lives.
 * Thread-safe; one per weight tensor.
 */
public final class PackedWeight {
  private Tensor packed;
  private long address, version, epoch;
  private int dtype;
  private boolean transposed; // packed holds weight.t().contiguous(), not oneDNN's layout
  private long[] shape;

  /**
   * The prepacked copy of {@code weight}, stored [out, in] ({@code outIn}) or [in, out] (then packed transposed).
   * Every call checks the weight's identity and version; repacking frees the previous copy.
   */
  public synchronized Tensor of(Tensor weight, boolean outIn) {
    return current(weight, false) ? packed : remake(weight, false, OneDnn.pack(outIn ? weight : weight.t())); // pack() copies a transposed view into place first
  }

  /** {@code weight} [in, out] as a contiguous [out, in] copy (GPT-2's bf16 Conv1D weights for the Vector API kernel). */
  public synchronized Tensor outIn(Tensor weight) {
    return current(weight, true) ? packed : remake(weight, true, org.rlhf4j.runtime.NativeScope.escape(() -> weight.t().contiguous()));
  }

  private boolean current(Tensor weight, boolean asTransposed) {
    return packed != null && transposed == asTransposed && weight.data_ptr().address() == address && weight.__dispatch__version() == version
        && OneDnn.weightsRewritten() == epoch && weight.scalar_type().value == dtype && java.util.Arrays.equals(weight.shape(), shape);
  }

  private Tensor remake(Tensor weight, boolean asTransposed, Tensor copy) {
    release();
    packed = copy;
    transposed = asTransposed;
    address = weight.data_ptr().address();
    version = weight.__dispatch__version();
    epoch = OneDnn.weightsRewritten();
    dtype = weight.scalar_type().value;
    shape = weight.shape();
    return packed;
  }

  /** Frees the copy now (the next product packs again). */
  public synchronized void release() {
    if (packed != null) packed.close();
    packed = null;
  }
}

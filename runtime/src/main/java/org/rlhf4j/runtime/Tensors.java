package org.rlhf4j.runtime;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Small conveniences over the bytedeco API that every layer needs. */
public final class Tensors {
  private Tensors() {}

  /** A (rows, cols) int64 tensor from a rectangular Java array, on {@code device}. */
  public static Tensor longs(long[][] rows, Device device) {
    int r = rows.length, c = r == 0 ? 0 : rows[0].length;
    long[] flat = new long[r * c];
    for (int i = 0; i < r; i++) {
      if (rows[i].length != c) throw new IllegalArgumentException("ragged rows: row " + i + " has " + rows[i].length + " values, row 0 has " + c);
      System.arraycopy(rows[i], 0, flat, i * c, c);
    }
    return fromHost(Tensor.create(flat, r, c), device);
  }

  /** A 1-D int64 tensor. */
  public static Tensor longs(long[] values, Device device) {
    return fromHost(Tensor.create(values, values.length), device);
  }

  /** A float32 tensor of the given shape. */
  public static Tensor floats(float[] values, Device device, long... shape) {
    return fromHost(Tensor.create(values, shape), device);
  }

  /** A float64 tensor of the given shape. */
  public static Tensor doubles(double[] values, Device device, long... shape) {
    return fromHost(Tensor.create(values, shape), device);
  }

  /** Copies a tensor into a Java double array (row-major, as float64). */
  public static double[] toDoubles(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Double).cpu().contiguous();
    double[] out = new double[(int) c.numel()];
    new org.bytedeco.javacpp.DoublePointer(c.data_ptr()).get(out);
    return out;
  }

  public static Tensor to(Tensor t, Device device) {
    return device.isCuda() ? t.to(device.torch(), t.scalar_type()) : t;
  }

  /**
   * A tensor just made from Java arrays (a batch) onto {@code device}: on CUDA through pinned (page-locked) host
   * memory, so the copy is a DMA that does not block the host (libtorch's caching host allocator keeps the pinned
   * buffer until the copy's stream is done). Not run on a GPU yet: no GPU has been lent to this project.
   */
  static Tensor fromHost(Tensor t, Device device) {
    if (!device.isCuda()) return t;
    return t.pin_memory().to(device.torch(), t.scalar_type(), true, false, new org.bytedeco.pytorch.MemoryFormatOptional());
  }

  /** Copies a tensor of any float dtype/device into a Java float array (row-major). */
  public static float[] toFloats(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Float).cpu().contiguous();
    float[] out = new float[(int) c.numel()];
    new org.bytedeco.javacpp.FloatPointer(c.data_ptr()).get(out);
    return out;
  }

  /** Copies an integer tensor into a Java long array (row-major). */
  public static long[] toLongs(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Long).cpu().contiguous();
    long[] out = new long[(int) c.numel()];
    new org.bytedeco.javacpp.LongPointer(c.data_ptr()).get(out);
    return out;
  }

  public static double item(Tensor t) { return t.item().toDouble(); }

  public static Scalar scalar(double v) { return new Scalar(v); }

  public static TensorOptional opt(Tensor t) { return t == null ? new TensorOptional() : new TensorOptional(t); }

  public static Tensor cat(long dim, Tensor... parts) {
    TensorVector v = new TensorVector(parts);
    return torch.cat(v, dim);
  }

  public static TensorOptions options(DType dtype, Device device) {
    TensorOptions o = new TensorOptions(dtype.scalarType());
    return device.isCuda() ? o.device(new org.bytedeco.pytorch.DeviceOptional(device.torch())) : o;
  }

  public static Tensor zeros(DType dtype, Device device, long... shape) { return torch.zeros(shape, options(dtype, device)); }

  public static Tensor ones(DType dtype, Device device, long... shape) { return torch.ones(shape, options(dtype, device)); }
}

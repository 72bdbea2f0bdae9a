package org.rlhf4j.models.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.OneDnn;

/**
 * Float32 matmuls with few input rows on the CPU (decoding at batch 1-4). bytedeco's libtorch calls OpenBLAS,
 * whose sgemm packs the whole weight even for one row of input: a (1, 768) x (768, 2304) product ran 4-10x slower
 * through {@code matmul}/{@code linear} than a pass that streams the weight once. Three paths ({@link #path}):
 * <ul>
 *   <li>{@link Path#VECTOR}: 1-{@value #MAX_ROWS} rows ([out, in] weights; 1-{@value #MAX_ROWS_IN_OUT} for [in, out]), no gradient needed, the Java Vector API module present —
 *       {@link VectorGemv} reads the weight once from its native memory (22-28 GB/s on one Zen 4 core, against
 *       12-15 for OpenBLAS's sgemv), split over {@link GemvPool}'s threads: [out, in] by output rows, [in, out] by input
 *       rows into {@value #IN_OUT_CHUNKS} partial sums (each thread streams whole weight rows; cutting the columns
 *       instead doubled GPT-2's CPU per token at two threads). A bfloat16 weight ([out, in], 1-{@value #MAX_ROWS} bf16
 *       rows) takes the same path on {@link VectorGemv#rowsOutInBf16}, reading half the bytes: Llama-110M batch-1
 *       decode with bf16 weights ran 58-75 tok/s on one Zen 4 core against 42-51 through libtorch's bf16 matmul and
 *       38-49 in float32;</li>
 *   <li>{@link Path#GEMV}: one row otherwise (autograd, or no Vector API): {@code mv} (OpenBLAS sgemv);</li>
 *   <li>{@link Path#GEMM}: everything else (more rows, other dtypes, other devices): {@code linear}/{@code matmul}.</li>
 * </ul>
 * A layer that owns a {@link PackedWeight} (Linear, Conv1D, the LM head) also has {@link Path#PACKED}: oneDNN's
 * inner product on a prepacked copy of the weight ({@link OneDnn}) for float32 inputs of two rows or more without
 * gradient, where {@link OneDnn#verdict} measured it faster than libtorch's matmul: {@value #MIN_PACKED_ROWS}-{@value #MAX_PACKED_ROWS}
 * rows on the {@link OneDnn.Workload#DECODE} verdict, more rows (prompts, scoring passes) on the
 * {@link OneDnn.Workload#PROMPT} one. On one Zen 4 core (AVX-512), idle: 4 rows x [768 -> 2304] 0.26 ms against 0.82
 * through libtorch, 32 rows 0.84 against 1.83, the 32-row LM head 17.6 against 41.4, 144 rows 3.5 against 5.9 and
 * 512 rows x [3072 -> 768] 16.5 against 30.9 (OpenBLAS packs the whole weight on every call).
 * Products that train ({@link org.rlhf4j.runtime.Backprop#training}: a graph is recorded, or a checkpointed first pass
 * that will be recomputed with one) take {@link Path#TRAINING} only when switched on ({@code RLHF4J_ONEDNN=on}): oneDNN
 * through autograd ({@link OneDnn#linearWithGradient}), whose backward also runs on oneDNN. One product runs faster
 * (one Zen 4 core, forward + backward of 1024 x [768 -> 2304]: 132 GFLOP/s against 94 through OpenBLAS), and a GPT-2
 * 124M training step on one loaded core ran 1.16-1.32x; but on two idle cores the step ran 172-193 tok/s against
 * 167-191 through OpenBLAS, no gain, so {@code auto} keeps training on OpenBLAS.
 * The sums are the same products in another order: results agree with the matmul path to float32 rounding
 * (~1e-6 relative). {@code RLHF4J_THIN_MATMUL=off} (or {@link #enable}) sends everything to GEMM;
 * {@code RLHF4J_THIN_MATMUL=gemv} keeps single rows on sgemv (no Vector API kernel); {@code RLHF4J_ONEDNN=on|off}
 * (or {@link #packing(Packing)}) takes the prepacked path always or never instead of where it measured faster.
 */
public final class ThinMatmul {
  private ThinMatmul() {}

  /** Which kernel a product takes. */
  public enum Path { VECTOR, PACKED, TRAINING, GEMV, GEMM }

  /**
   * The row range of {@link Path#PACKED} that the decode verdict decides (one row stays on the Vector API kernel, which
   * streams the weight once); more rows follow the prompt verdict ({@link #packedKernel(long)}).
   */
  public static final int MIN_PACKED_ROWS = 2, MAX_PACKED_ROWS = 64;

  /**
   * The most input rows the Vector API kernel takes for a weight stored [out, in] (beyond that OpenBLAS's packed sgemm
   * wins: 768 -> 2304 on one Zen 4 core, ms, kernel vs sgemm: 1 row 0.39 vs 1.22, 4 rows 0.63 vs 1.22, 8 rows 1.33 vs 1.26).
   */
  public static final int MAX_ROWS = 4;

  /**
   * The same for a weight stored [in, out] (Conv1D), read in row blocks that every input row reuses from L2: GPT-2
   * batch-4 decode took 22 ms of CPU per token on it against 36-42 through sgemm at 2 threads (21-24 either way at 1).
   */
  public static final int MAX_ROWS_IN_OUT = 4;

  private static final String MODE = System.getenv("RLHF4J_THIN_MATMUL");
  private static volatile boolean enabled = !"off".equalsIgnoreCase(MODE);
  private static volatile boolean vector = !"gemv".equalsIgnoreCase(MODE)
      && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** When {@link Path#PACKED} is taken: where {@link OneDnn#verdict} measured it faster (the default), always, or never. */
  public enum Packing { AUTO, ON, OFF }

  private static volatile Packing packing = packingFromEnv(System.getenv("RLHF4J_ONEDNN"));

  /** RLHF4J_ONEDNN: auto (or unset), on or off. */
  static Packing packingFromEnv(String v) {
    if (v == null || v.isBlank()) return Packing.AUTO;
    try {
      return Packing.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RLHF4J_ONEDNN must be auto, on or off, not '" + v + "'");
    }
  }

  /** Sets when the prepacked oneDNN path is taken, for the process (RLHF4J_ONEDNN=auto|on|off). */
  public static void packing(Packing p) {
    if (p == null) throw new IllegalArgumentException("packing is required");
    packing = p;
  }

  public static Packing packing() { return packing; }

  /** Whether the prepacked path is in use: oneDNN present, and switched on or measured faster here ({@link OneDnn#verdict}). */
  public static boolean packedKernel() {
    Packing p = packing;
    return enabled && p != Packing.OFF && OneDnn.available() && (p == Packing.ON || OneDnn.verdict().faster());
  }

  /**
   * Whether products of {@code rows} rows take the prepacked path: {@link #packedKernel()} up to {@value #MAX_PACKED_ROWS}
   * rows, beyond that where switched on or measured faster on {@link OneDnn.Workload#PROMPT}'s products.
   */
  public static boolean packedKernel(long rows) {
    if (!packedKernel()) return false;
    return rows <= MAX_PACKED_ROWS || packing == Packing.ON || OneDnn.verdict(OneDnn.Workload.PROMPT).faster();
  }

  /**
   * Whether a product that trains takes {@link Path#TRAINING} now: it trains ({@link org.rlhf4j.runtime.Backprop#training}),
   * no autocast (oneDNN's op is not on autocast's list), and oneDNN is switched on ({@link Packing#ON}; {@code auto}
   * does not, since whole training steps measured no faster at two threads although {@link OneDnn.Workload#TRAIN}'s
   * single product did).
   */
  static boolean trainingKernel() {
    if (!enabled || packing != Packing.ON || !org.rlhf4j.runtime.Backprop.training()) return false;
    return org.rlhf4j.runtime.Autocast.current(org.rlhf4j.runtime.Device.CPU) == org.rlhf4j.runtime.DType.F32 && OneDnn.available();
  }

  /** Switches the thin paths on or off for the process (on by default; RLHF4J_THIN_MATMUL=off turns them off). */
  public static void enable(boolean on) { enabled = on; }

  public static boolean enabled() { return enabled; }

  /** Whether the Vector API kernel is in use (the module is present and it was not switched off). */
  public static boolean vectorKernel() { return vector; }

  /** Switches the Vector API kernel on or off (it stays off where the module is absent). */
  public static void vectorKernel(boolean on) {
    vector = on && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** y = x W^T + b for W stored [out, in] ({@code torch.nn.Linear}); bias may be null. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return linear(x, weight, bias, null); }

  /** {@link #linear(Tensor, Tensor, Tensor)} for a layer that keeps a prepacked copy in {@code pack} (null: none). */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias, PackedWeight pack) {
    return switch (path(x, weight, true, pack != null)) {
      case PACKED -> packed(x, pack.of(weight, true), bias);                                  // (..., out)
      case TRAINING -> OneDnn.linearWithGradient(x, weight, bias);                             // (..., out)
      case GEMM -> torch.linear(x, weight, org.rlhf4j.runtime.Tensors.opt(bias));              // (..., out)
      case GEMV -> withBias(shaped(weight.mv(x.reshape(-1)), x, weight.size(0)), bias);       // (..., out)
      case VECTOR -> isBf16(weight) ? withBias(bf16Product(x, weight), bias)                      // (..., out) bf16
          : vectorBias(bias) ? vectorProduct(x, weight, bias, true) : withBias(vectorProduct(x, weight, null, true), bias); // (..., out)
    };
  }

  /**
   * x W^T for bfloat16 x and W (stored [out, in]) on the Vector API kernel: sums in float32, the result rounded to
   * bf16, as libtorch's bf16 linear.
   */
  private static Tensor bf16Product(Tensor x, Tensor weight) {
    int k = (int) x.size(x.dim() - 1), n = (int) weight.size(0);
    if (weight.size(1) != k) throw new IllegalArgumentException("matmul: input has " + k + " features, weight is " + java.util.Arrays.toString(weight.shape()));
    int m = (int) (x.numel() / k);
    float[] xs = floats(x.to(torch.ScalarType.Float), m * k), xe = new float[m * k / 2], xo = new float[m * k / 2];
    for (int j = 0; j < xe.length; j++) {
      xe[j] = xs[2 * j];
      xo[j] = xs[2 * j + 1];
    }
    long[] shape = x.shape();
    shape[shape.length - 1] = n;
    Tensor y = torch.empty(shape); // (..., out) float32
    ByteBuffer wb = buffer(weight, weight.nbytes()), yb = buffer(y, 4L * m * n);
    GemvPool.run(n, (long) n * k, (r0, r1) -> VectorGemv.rowsOutInBf16(wb, k, xe, xo, m, yb, n, r0, r1));
    return y.to(torch.ScalarType.BFloat16);
  }

  /** y = x W + b for W stored [in, out] (GPT-2's Conv1D); bias may be null. */
  public static Tensor matmul(Tensor x, Tensor weight, Tensor bias) { return matmul(x, weight, bias, null); }

  /** {@link #matmul(Tensor, Tensor, Tensor)} for a layer that keeps a prepacked copy in {@code pack} (null: none). */
  public static Tensor matmul(Tensor x, Tensor weight, Tensor bias, PackedWeight pack) {
    return switch (path(x, weight, false, pack != null)) {
      case PACKED -> packed(x, pack.of(weight, false), bias);                                 // (..., out)
      case TRAINING -> OneDnn.linearWithGradient(x, weight.t(), bias);                          // (..., out); W^T made contiguous
      case GEMM -> withBias(torch.matmul(x, weight), bias);                                     // (..., out)
      case GEMV -> withBias(shaped(weight.t().mv(x.reshape(-1)), x, weight.size(1)), bias);   // (..., out)
      case VECTOR -> isBf16(weight) ? withBias(bf16Product(x, pack.outIn(weight)), bias)          // (..., out) bf16, on the [out, in] copy
          : vectorBias(bias) ? vectorProduct(x, weight, bias, false) : withBias(vectorProduct(x, weight, null, false), bias); // (..., out)
    };
  }

  /**
   * Whether a decode step over {@code rows} rows of a model stored in {@code dtype} on {@code device} runs every
   * projection on the Vector API kernel (both weight layouts) or the prepacked one, so that OpenBLAS only serves
   * attention's tiny products.
   */
  public static boolean coversDecode(int rows, org.rlhf4j.runtime.DType dtype, org.rlhf4j.runtime.Device device) {
    if (!enabled || dtype != org.rlhf4j.runtime.DType.F32 || device.isCuda() || rows < 1) return false;
    if (rows >= MIN_PACKED_ROWS && rows <= MAX_PACKED_ROWS && packedKernel()) return true;
    return vector && rows <= Math.min(MAX_ROWS, MAX_ROWS_IN_OUT);
  }

  /** The kernel {@link #linear} ({@code outIn}) or {@link #matmul} would use for this input and weight (no prepacked copy). */
  public static Path path(Tensor x, Tensor weight, boolean outIn) { return path(x, weight, outIn, false); }

  /** The same for a layer that keeps a prepacked copy ({@code packable}). */
  public static Path path(Tensor x, Tensor weight, boolean outIn, boolean packable) {
    if (!enabled || weight.dim() != 2 || x.dim() < 1 || x.is_cuda() || weight.is_cuda()) return Path.GEMM;
    if (isBf16(weight)) return bf16Path(x, weight, outIn, packable);
    if (!isFloat(x) || !isFloat(weight)) return Path.GEMM;
    long in = x.size(x.dim() - 1), rows = in == 0 ? 0 : x.numel() / in;
    if (rows < 1) return Path.GEMM;
    if (rows >= MIN_PACKED_ROWS && trainingKernel()) return Path.TRAINING; // before the no-gradient paths: a checkpointed first pass and its recompute must multiply alike
    boolean grad = GradMode.is_enabled() && (x.requires_grad() || weight.requires_grad());
    boolean vectorFits = vector && !grad && rows <= (outIn ? MAX_ROWS : MAX_ROWS_IN_OUT) && weight.is_contiguous() && weight.nbytes() < Integer.MAX_VALUE;
    if (rows == 1 && vectorFits) return Path.VECTOR;
    if (packable && (rows >= MIN_PACKED_ROWS || !vector) && inference() && packedKernel(rows)) return Path.PACKED;
    if (vectorFits) return Path.VECTOR;
    return rows == 1 ? Path.GEMV : Path.GEMM;
  }

  /**
   * A bfloat16 weight stored [out, in] (in even) under 1-{@value #MAX_ROWS} bf16 input rows without gradient takes the
   * Vector API kernel ({@link VectorGemv#rowsOutInBf16}), and so does one stored [in, out] by a layer that keeps a
   * {@link PackedWeight} (its [out, in] copy: GPT-2's Conv1D); everything else stays on libtorch's bf16 matmul.
   */
  private static Path bf16Path(Tensor x, Tensor weight, boolean outIn, boolean packable) {
    long in = x.size(x.dim() - 1), rows = in == 0 ? 0 : x.numel() / in;
    boolean grad = GradMode.is_enabled() && (x.requires_grad() || weight.requires_grad());
    boolean fits = vector && (outIn || packable) && !grad && rows >= 1 && rows <= MAX_ROWS && in % 2 == 0 && isBf16(x) && weight.is_contiguous()
        && weight.nbytes() < Integer.MAX_VALUE;
    return fits ? Path.VECTOR : Path.GEMM;
  }

  /**
   * No graph recorded, no checkpointed first pass (its recompute runs with the graph, on libtorch's kernel, and must see
   * the same activations) and no autocast (oneDNN's op is not on autocast's list, so it would run in float32).
   */
  private static boolean inference() {
    return !org.rlhf4j.runtime.Backprop.training() && org.rlhf4j.runtime.Autocast.current(org.rlhf4j.runtime.Device.CPU) == org.rlhf4j.runtime.DType.F32;
  }

  /** x W^T (+ bias) on the prepacked weight; a bias oneDNN cannot take (another dtype, one that needs a gradient) is added after. */
  private static Tensor packed(Tensor x, Tensor packedWeight, Tensor bias) {
    boolean fused = bias == null || (bias.dim() == 1 && isFloat(bias) && !bias.is_cuda() && !(GradMode.is_enabled() && bias.requires_grad()));
    Tensor y = OneDnn.linear(x, packedWeight, fused ? bias : null); // (..., out)
    return fused ? y : y.add(bias);
  }

  /** One input row (any leading shape of ones), float32 on the CPU, a 2-D weight: a thin path applies. */
  static boolean applies(Tensor x, Tensor weight) {
    return path(x, weight, true) != Path.GEMM && x.numel() == x.size(x.dim() - 1);
  }

  /** Partial sums a large [in, out] product is cut into (over its input rows): fixed, so results do not depend on the thread count. */
  static final int IN_OUT_CHUNKS = 8;

  /** x W^T (+ bias) on the Vector API kernel; the bias is added in the kernel's last write (as {@code add} would). */
  private static Tensor vectorProduct(Tensor x, Tensor weight, Tensor bias, boolean outIn) {
    int k = (int) x.size(x.dim() - 1), n = (int) (outIn ? weight.size(0) : weight.size(1));
    if ((outIn ? weight.size(1) : weight.size(0)) != k) {
      throw new IllegalArgumentException("matmul: input has " + k + " features, weight is " + java.util.Arrays.toString(weight.shape()));
    }
    int m = (int) (x.numel() / k);
    if (bias != null && bias.numel() != n) throw new IllegalArgumentException("matmul: bias has " + bias.numel() + " elements for " + n + " outputs");
    float[] xs = floats(x, m * k), b = bias == null ? null : floats(bias, n);
    long[] shape = x.shape();
    shape[shape.length - 1] = n;
    Tensor y = torch.empty(shape); // (..., out) float32 (the default dtype)
    ByteBuffer wb = buffer(weight, weight.nbytes()), yb = buffer(y, 4L * m * n);
    long elements = (long) n * k;
    if (outIn) {
      GemvPool.run(n, elements, (r0, r1) -> VectorGemv.rowsOutIn(wb, k, xs, m, yb, n, r0, r1));
      if (b != null) addBias(yb, b, m, n);
    } else {
      int chunks = elements < GemvPool.MIN_PARALLEL ? 1 : Math.min(IN_OUT_CHUNKS, k), rows = (k + chunks - 1) / chunks;
      float[] partial = new float[chunks * m * n];
      GemvPool.each(chunks, GemvPool.threads(n, elements),
          c -> VectorGemv.accumulateInOut(wb, k, xs, m, partial, c * m * n, n, c * rows, Math.min(k, (c + 1) * rows)));
      for (int j = 0; j < m * n; j++) {
        float sum = partial[j];
        for (int c = 1; c < chunks; c++) sum += partial[c * m * n + j];
        yb.putFloat(j * 4, b == null ? sum : sum + b[j % n]);
      }
    }
    return y;
  }

  private static void addBias(ByteBuffer yb, float[] b, int m, int n) {
    for (int j = 0; j < m * n; j++) yb.putFloat(j * 4, yb.getFloat(j * 4) + b[j % n]);
  }

  /** The first {@code count} floats of {@code t} (float32, any layout). */
  static float[] floats(Tensor t, int count) {
    float[] out = new float[count];
    new FloatPointer(t.contiguous().data_ptr()).get(out);
    return out;
  }

  /** {@code bytes} of the tensor's memory from its first element, as a little-endian buffer (a view: nothing copied). */
  static ByteBuffer buffer(Tensor t, long bytes) {
    return t.data_ptr().capacity(bytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  // bytedeco returns a fresh ScalarType object, so compare the values (as DType.of does), never with ==
  private static boolean isFloat(Tensor t) {
    return t.scalar_type().value == torch.ScalarType.Float.value;
  }

  private static boolean isBf16(Tensor t) {
    return t.scalar_type().value == torch.ScalarType.BFloat16.value;
  }

  /** A bias the kernel can add itself: absent, or float32 on the CPU with nothing to broadcast or record. */
  private static boolean vectorBias(Tensor bias) {
    return bias == null || (bias.dim() == 1 && !bias.is_cuda() && isFloat(bias) && !(GradMode.is_enabled() && bias.requires_grad()));
  }

  private static Tensor withBias(Tensor y, Tensor bias) { return bias == null ? y : y.add(bias); }

  private static Tensor shaped(Tensor y, Tensor x, long out) {
    long[] shape = x.shape();
    shape[shape.length - 1] = out;
    return y.view(shape);
  }
}

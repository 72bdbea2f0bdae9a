package org.rlhf4j.runtime;

import java.util.Locale;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * oneDNN's inner product with a prepacked weight, the kernel PyTorch's inductor uses for CPU linears: libtorch 2.10
 * bundles oneDNN 3.7 (as "mkldnn") and registers {@code mkldnn::_reorder_linear_weight} (a weight [out, in] reordered
 * once into the kernel's blocked layout) and {@code mkldnn::_linear_pointwise} (x W^T + b on that layout). bytedeco
 * generates no Java method for either (they are registered ops, not native functions), so they are called boxed
 * through the dispatcher.
 *
 * <p>Why: libtorch's own fp32 matmul calls bytedeco's OpenBLAS, which packs the whole weight on every call. On one Zen 4
 * core (AVX-512), 32 rows x [768 -> 2304] took 1.6 ms prepacked against 2.2 through OpenBLAS, GPT-2's LM head
 * (768 -> 50257) 45 against 96, and 4 rows 0.35 against 1.1 (0.82 on the Vector API kernel). The products are the same
 * fp32 sums in another order (relative differences ~1e-6). Whether it wins is {@link #measure measured} on the machine,
 * never assumed.
 */
public final class OneDnn {
  private OneDnn() {}

  /** The two op handles and the empty {@code Scalar?[]} of the unfused linear, all owned by no native scope. */
  private static final class Ops {
    final OperatorHandle reorder = NativeScope.escape(() -> Dispatcher.singleton().findSchemaOrThrow("mkldnn::_reorder_linear_weight", ""));
    final OperatorHandle linear = NativeScope.escape(() -> Dispatcher.singleton().findSchemaOrThrow("mkldnn::_linear_pointwise", ""));
    // typed as the schema's list element (Scalar?): an untyped empty list fails the kernel's cast
    final GenericList noScalars = NativeScope.escape(() -> new GenericList(linear.schema().arguments().getPointer(4).type().get().containedType(0)));
  }

  private static volatile Ops ops;
  private static volatile String missing;

  /** Whether this libtorch has oneDNN and both ops are registered (looked up once). */
  public static boolean available() {
    if (ops != null) return true;
    if (missing != null) return false;
    synchronized (OneDnn.class) {
      if (ops == null && missing == null) {
        try {
          if (!torch.hasMKLDNN()) throw new IllegalStateException("libtorch was built without oneDNN (mkldnn)");
          ops = new Ops();
        } catch (RuntimeException | LinkageError e) {
          missing = String.valueOf(e.getMessage());
        }
      }
    }
    return ops != null;
  }

  /** Why {@link #available} is false ("" when it is true). */
  public static String unavailableReason() { return available() ? "" : missing; }

  /**
   * The weight [out, in] (float32 or bfloat16, on the CPU) in oneDNN's layout for {@link #linear}: a copy the size of
   * the weight, owned by no native scope (close it, or let the garbage collector free it).
   */
  public static Tensor pack(Tensor weightOutIn) {
    if (!available()) throw new IllegalStateException("oneDNN linear unavailable: " + missing);
    if (weightOutIn.dim() != 2) throw new IllegalArgumentException("pack: the weight must be 2-D, got " + java.util.Arrays.toString(weightOutIn.shape()));
    return NativeScope.escape(() -> call(ops.reorder, new IValue(weightOutIn.contiguous()), new IValue()));
  }

  /** x W^T (+ bias) for x (..., in) and a weight from {@link #pack}; x and the weight share a dtype; bias may be null. */
  public static Tensor linear(Tensor x, Tensor packed, Tensor bias) {
    if (!available()) throw new IllegalStateException("oneDNN linear unavailable: " + missing);
    return call(ops.linear, new IValue(x), new IValue(packed), bias == null ? new IValue() : new IValue(bias),
        new IValue("none"), new IValue(ops.noScalars), new IValue());
  }

  /**
   * x W^T (+ bias) for x (..., in) and a dense float32 weight [out, in], through autograd: {@code torch.mkldnn_linear},
   * whose backward ({@code mkldnn_linear_backward}) gives the input, weight and bias gradients on oneDNN too. For
   * training, where the weights change every step and a prepacked copy would be stale; the relative difference to
   * {@code torch.linear} is float32 rounding (~1e-6 on the output and both gradients).
   */
  public static Tensor linearWithGradient(Tensor x, Tensor weightOutIn, Tensor bias) {
    if (!available()) throw new IllegalStateException("oneDNN linear unavailable: " + missing);
    long in = x.size(x.dim() - 1);
    long[] shape = x.shape();
    shape[shape.length - 1] = weightOutIn.size(0);
    Tensor rows = x.reshape(-1, in).contiguous();                                                    // (N, in)
    Tensor y = torch.mkldnn_linear(rows.to_mkldnn(), weightOutIn.contiguous(), Tensors.opt(bias)).to_dense(); // (N, out)
    return y.view(shape);                                                                           // (..., out)
  }

  /** Calls {@code op} on {@code args}; its single result is copied out before the stack is freed (toTensor() is a reference into it). */
  private static Tensor call(OperatorHandle op, IValue... args) {
    IValueVector stack = new IValueVector(args);
    try {
      op.callBoxed(stack);
      return new Tensor(stack.get(0).toTensor());
    } finally {
      stack.close();
      for (IValue a : args) a.close();
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong REWRITES = new java.util.concurrent.atomic.AtomicLong();

  /**
   * How many times tensors' storage was written behind their version counters (a collective broadcasting into
   * parameters in place): a prepacked copy made before a change of this count is stale.
   */
  public static long weightsRewritten() { return REWRITES.get(); }

  /** Records a write into tensors' storage that bumped no version counter ({@link Distributed#broadcastFromMain}). */
  public static void markWeightsRewritten() { REWRITES.incrementAndGet(); }

  /** The measured choice: whether prepacked oneDNN beats libtorch's matmul on a workload's products here. */
  public record Verdict(boolean faster, double packedMs, double libtorchMs, String reason) {
    public Verdict {
      if (reason == null || reason.isBlank()) throw new IllegalArgumentException("reason is required");
    }
  }

  /** How much faster the prepacked product must measure before it is used ({@link Workload#DECODE}, {@link Workload#TRAIN}). */
  public static final double MARGIN = 1.1;

  /** The float32 products (rows x [in -> out], GPT-2-sized projections) a verdict times. */
  public enum Workload {
    /** A decode step's few rows (2-64). */
    DECODE(new int[][] {{4, 768, 2304}, {32, 768, 2304}, {32, 3072, 768}}, MARGIN),
    /**
     * A prompt's or a scoring pass's many rows (65 and more). Here oneDNN is used unless libtorch's matmul measures
     * {@link #MARGIN} times faster: libtorch's float32 product runs on OpenBLAS's own thread pool beside torch's OpenMP
     * workers, and where other threads share the cores it loses what the quiet measurement shows. serve-model, GPT-2
     * 124M shape, 2 threads, 32 clients: with this verdict at parity in isolation (256 rows: 10.8 vs 11.0 ms), the
     * joining rows' prefills on OpenBLAS served 10.3-12.2 req/s, on oneDNN 13.7-14.5.
     */
    PROMPT(new int[][] {{256, 768, 2304}, {256, 3072, 768}}, 1 / MARGIN),
    /**
     * Training: forward and backward (input and weight gradients) through autograd, {@link #linearWithGradient} against
     * {@code torch.linear}; printed by {@code bench}, informative only (whole steps did not follow it at two threads).
     */
    TRAIN(new int[][] {{512, 768, 2304}, {512, 3072, 768}}, MARGIN);

    private final int[][] shapes;
    private final double margin;

    Workload(int[][] shapes, double margin) {
      this.shapes = shapes;
      this.margin = margin;
    }

    /** oneDNN is used when libtorch's time is at least this multiple of its own. */
    public double margin() { return margin; }

    /** "4x[768->2304] + 32x[768->2304] + ...". */
    public String products() {
      return java.util.Arrays.stream(shapes).map(s -> s[0] + "x[" + s[1] + "->" + s[2] + "]").collect(java.util.stream.Collectors.joining(" + "));
    }
  }

  private static final java.util.Map<Workload, Verdict> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The {@link Workload#DECODE} verdict. */
  public static Verdict verdict() { return verdict(Workload.DECODE); }

  /** {@link #measure} once per process and workload (tens of milliseconds for decode, a few hundred for prompts), cached. */
  public static Verdict verdict(Workload w) {
    return VERDICTS.computeIfAbsent(w, k -> measure(k, k == Workload.DECODE ? 5 : 3));
  }

  /** {@link #measure(Workload, int)} of {@link Workload#DECODE}. */
  public static Verdict measure(int reps) { return measure(Workload.DECODE, reps); }

  /**
   * Times the workload's products both ways, alternating, best of {@code reps} each (at the current thread counts):
   * the prepacked oneDNN product against {@code torch.linear}; the verdict compares the sums.
   */
  public static Verdict measure(Workload w, int reps) {
    if (!available()) return new Verdict(false, Double.NaN, Double.NaN, "libtorch: oneDNN linear unavailable (" + missing + ")");
    double p = 0, l = 0;
    for (int[] s : w.shapes) {
      double[] t = w == Workload.TRAIN ? timeTraining(s[0], s[1], s[2], reps) : time(s[0], s[1], s[2], reps);
      p += t[0];
      l += t[1];
    }
    boolean faster = l >= w.margin * p;
    String rule = w.margin >= 1 ? String.format(Locale.ROOT, "oneDNN is used when >= %.1fx faster", w.margin)
        : String.format(Locale.ROOT, "oneDNN is used unless libtorch's matmul is >= %.1fx faster", 1 / w.margin);
    return new Verdict(faster, p, l, String.format(Locale.ROOT,
        "%s: float32 %s%s took %.3f ms %s vs %.3f ms through libtorch's matmul (%s)",
        faster ? "oneDNN" : "libtorch matmul", w.products(), w == Workload.TRAIN ? " forward + backward" : "", p,
        w == Workload.TRAIN ? "on oneDNN (mkldnn_linear)" : "prepacked (oneDNN)", l, rule));
  }

  /**
   * GFLOP/s of an n x n by n x n float32 product on a prepacked weight, best of {@code reps} (at the current thread
   * counts); NaN where oneDNN is unavailable. Part of the machine's fp32 peak: on one Zen 4 core it ran 150-165 GFLOP/s
   * at n = 2048 where OpenBLAS's sgemm (libtorch's matmul) ran 86-97.
   */
  public static double gflops(int n, int reps) {
    if (!available()) return Double.NaN;
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor x = filler(n, n), packed = pack(filler(n, n));
      try {
        linear(x, packed, null); // warm-up
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
          long t0 = System.nanoTime();
          linear(x, packed, null);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
      } finally {
        packed.close();
      }
    }
  }

  /** Best-of-{@code reps} milliseconds of a forward and backward of rows x [in -> out], both inputs needing gradients: {oneDNN, torch.linear}. */
  private static double[] timeTraining(int rows, int in, int out, int reps) {
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.AutoGradMode g = new org.bytedeco.pytorch.AutoGradMode(true)) {
      Tensor x = filler(rows, in).set_requires_grad(true), w = filler(out, in).set_requires_grad(true);
      double p = Double.MAX_VALUE, l = Double.MAX_VALUE;
      for (int r = 0; r < reps + 1; r++) { // the first round warms up
        long t0 = System.nanoTime();
        linearWithGradient(x, w, null).sum().backward();
        long t1 = System.nanoTime();
        torch.linear(x, w, Tensors.opt(null)).sum().backward();
        long t2 = System.nanoTime();
        if (r > 0) {
          p = Math.min(p, (t1 - t0) / 1e6);
          l = Math.min(l, (t2 - t1) / 1e6);
        }
      }
      return new double[] {p, l};
    }
  }

  /**
   * Operands for the timings: values in [-1, 1) from a fixed private stream, never libtorch's default generator. A
   * verdict is measured lazily, in the middle of whatever first needs it (a seeded generation's first prompt pass):
   * drawing from the default generator there shifted every later sample, so a run's numbers depended on which stages
   * an earlier process had finished.
   */
  static Tensor filler(int rows, int cols) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(0x5eed);
    float[] v = new float[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
    return Tensors.floats(v, Device.CPU, rows, cols);
  }

  /** Best-of-{@code reps} milliseconds of rows x [in -> out]: {prepacked, torch.linear}. */
  private static double[] time(int rows, int in, int out, int reps) {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor x = filler(rows, in), w = filler(out, in);
      Tensor packed = pack(w);
      try {
        double p = Double.MAX_VALUE, l = Double.MAX_VALUE;
        for (int r = 0; r < 2; r++) { // warm-up: OpenBLAS starts its threads at its first call
          linear(x, packed, null);
          torch.linear(x, w);
        }
        for (int r = 0; r < reps; r++) {
          long t0 = System.nanoTime();
          linear(x, packed, null);
          long t1 = System.nanoTime();
          torch.linear(x, w);
          long t2 = System.nanoTime();
          p = Math.min(p, (t1 - t0) / 1e6);
          l = Math.min(l, (t2 - t1) / 1e6);
        }
        return new double[] {p, l};
      } finally {
        packed.close();
      }
    }
  }
}

package org.rlhf4j.models.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Small-M float32 matmul kernels on the Java Vector API (jdk.incubator.vector), for decoding: M input rows (1-4)
 * against a weight read straight from the tensor's native memory, once, front to back. One sequential stream is
 * what the hardware prefetcher follows best: on a Zen 4 core this streams 22-28 GB/s from DRAM where OpenBLAS's
 * sgemv reached 12-15 (and llama2.c's plain loop ~20). Only {@link ThinMatmul} calls this, and only when the module
 * is present ({@code --add-modules jdk.incubator.vector}, which the launcher and the tests pass).
 */
final class VectorGemv {
  private VectorGemv() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /**
   * y[m, r] = sum_k x[m, k] w[r, k] for rows r in [r0, r1) of a weight stored [n, k] (torch.nn.Linear): each weight
   * row is read once from memory and reused from L1 for every input row.
   */
  static void rowsOutIn(ByteBuffer w, int k, float[] x, int m, ByteBuffer y, int n, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int base = r * k * 4;
      if (m == 1) {
        y.putFloat(r * 4, dot(w, base, x, 0, k));
        continue;
      }
      int i = 0;
      for (; i + 4 <= m; i += 4) dot4(w, base, x, i, k, y, n, r);
      for (; i < m; i++) y.putFloat((i * n + r) * 4, dot(w, base, x, i * k, k));
    }
  }

  /** One row: four independent accumulators over k. */
  private static float dot(ByteBuffer w, int base, float[] x, int xo, int k) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (; i + 4 * L <= k; i += 4 * L) {
      a0 = FloatVector.fromByteBuffer(S, w, base + i * 4, LE).fma(FloatVector.fromArray(S, x, xo + i), a0);
      a1 = FloatVector.fromByteBuffer(S, w, base + (i + L) * 4, LE).fma(FloatVector.fromArray(S, x, xo + i + L), a1);
      a2 = FloatVector.fromByteBuffer(S, w, base + (i + 2 * L) * 4, LE).fma(FloatVector.fromArray(S, x, xo + i + 2 * L), a2);
      a3 = FloatVector.fromByteBuffer(S, w, base + (i + 3 * L) * 4, LE).fma(FloatVector.fromArray(S, x, xo + i + 3 * L), a3);
    }
    for (; i + L <= k; i += L) a0 = FloatVector.fromByteBuffer(S, w, base + i * 4, LE).fma(FloatVector.fromArray(S, x, xo + i), a0);
    float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    for (; i < k; i++) s += w.getFloat(base + i * 4) * x[xo + i];
    return s;
  }

  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());

  /**
   * {@link #rowsOutIn} for a bfloat16 weight stored [n, k] (k even): each 32-bit word of a weight row holds elements 2j
   * (low half) and 2j + 1 (high half), and a bf16 is a float32's top 16 bits, so a shift and a mask give both as
   * float32 lanes, multiplied by the input's even ({@code xe[i * k / 2 + j] = x[i, 2j]}) and odd elements. The sums run
   * in float32 (as libtorch's bf16 matmul accumulates), reading half the bytes of a float32 weight; on one Zen 4 core
   * this streamed 21-22 GB/s where widening each half with a vector conversion reached 18.
   */
  static void rowsOutInBf16(ByteBuffer w, int k, float[] xe, float[] xo, int m, ByteBuffer y, int n, int r0, int r1) {
    int half = k / 2;
    for (int r = r0; r < r1; r++) {
      int base = r * k * 2;
      for (int i = 0; i < m; i++) y.putFloat((i * n + r) * 4, dotBf16(w, base, xe, xo, i * half, half));
    }
  }

  private static float dotBf16(ByteBuffer w, int base, float[] xe, float[] xo, int xoff, int half) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0;
    int j = 0;
    for (; j + L <= half; j += L) {
      IntVector v = IntVector.fromByteBuffer(INTS, w, base + j * 4, LE);
      a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(S, xe, xoff + j), a0);
      a1 = v.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(S, xo, xoff + j), a1);
    }
    float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; j < half; j++) {
      int v = w.getInt(base + j * 4);
      s += Float.intBitsToFloat(v << 16) * xe[xoff + j] + Float.intBitsToFloat(v & 0xFFFF0000) * xo[xoff + j];
    }
    return s;
  }

  /** Four input rows (m0 .. m0+3) against one weight row: each weight vector is loaded once for all four. */
  private static void dot4(ByteBuffer w, int base, float[] x, int m0, int k, ByteBuffer y, int n, int r) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    int o0 = m0 * k, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
    int i = 0;
    for (; i + L <= k; i += L) {
      FloatVector wv = FloatVector.fromByteBuffer(S, w, base + i * 4, LE);
      a0 = wv.fma(FloatVector.fromArray(S, x, o0 + i), a0);
      a1 = wv.fma(FloatVector.fromArray(S, x, o1 + i), a1);
      a2 = wv.fma(FloatVector.fromArray(S, x, o2 + i), a2);
      a3 = wv.fma(FloatVector.fromArray(S, x, o3 + i), a3);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
    for (; i < k; i++) {
      float wi = w.getFloat(base + i * 4);
      s0 += wi * x[o0 + i]; s1 += wi * x[o1 + i]; s2 += wi * x[o2 + i]; s3 += wi * x[o3 + i];
    }
    y.putFloat((m0 * n + r) * 4, s0);
    y.putFloat(((m0 + 1) * n + r) * 4, s1);
    y.putFloat(((m0 + 2) * n + r) * 4, s2);
    y.putFloat(((m0 + 3) * n + r) * 4, s3);
  }

  /** Weight rows per block of {@link #accumulateInOut}: a block stays in L2 while every input row reads it. */
  private static final int BLOCK_ROWS = 32;

  /**
   * acc[i, c] += sum_{kk in [k0, k1)} x[i, kk] w[kk, c] for all n columns of a weight stored [k, n] (GPT-2's Conv1D),
   * {@code acc} holding m rows of n from {@code accOff}: the weight rows are read front to back, one stream, in blocks
   * of {@value #BLOCK_ROWS} rows that each input row reads in turn (the block is still in L2 for the next row; the
   * weight is read from memory once for all m rows).
   */
  static void accumulateInOut(ByteBuffer w, int k, float[] x, int m, float[] acc, int accOff, int n, int k0, int k1) {
    int bound = (n / L) * L;
    for (int b0 = k0; b0 < k1; b0 += BLOCK_ROWS) {
      int b1 = Math.min(k1, b0 + BLOCK_ROWS);
      for (int i = 0; i < m; i++) {
        int a = accOff + i * n;
        for (int kk = b0; kk < b1; kk++) {
          int base = kk * n * 4;
          float xi = x[i * k + kk];
          FloatVector xv = FloatVector.broadcast(S, xi);
          int c = 0;
          for (; c < bound; c += L) {
            FloatVector.fromByteBuffer(S, w, base + c * 4, LE).fma(xv, FloatVector.fromArray(S, acc, a + c)).intoArray(acc, a + c);
          }
          for (; c < n; c++) acc[a + c] += w.getFloat(base + c * 4) * xi;
        }
      }
    }
  }
}

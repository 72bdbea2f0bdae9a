package org.rlhf4j.privacy.accounting;

/**
 * The discrete Fourier transform of one length n (any n ≥ 1) on split real/imaginary arrays: iterative radix-2 when n
 * is a power of two, else Bluestein's chirp-z algorithm over a power-of-two convolution. Twiddles and chirps are
 * computed directly (no recurrences), the chirp's angle from k² mod 2n in exact integer arithmetic, so the error
 * stays near double precision times log n. Used by the PRV accountant to compose a distribution with itself.
 */
final class Fft {
  private final int n;
  private final int p; // Bluestein's power-of-two length, or n when n is a power of two
  private final double[] cos, sin; // twiddles of length p: e^{-2πik/p}, k < p/2
  private final double[] chirpRe, chirpIm; // e^{-iπk²/n}
  private final double[] kernelRe, kernelIm; // FFT of the conjugate chirp, wrapped to length p

  Fft(int n) {
    if (n < 1) throw new IllegalArgumentException("FFT length must be >= 1, got " + n);
    this.n = n;
    boolean pow2 = Integer.bitCount(n) == 1;
    this.p = pow2 ? n : Integer.highestOneBit(2 * n - 1) << 1;
    cos = new double[Math.max(1, p / 2)];
    sin = new double[cos.length];
    for (int k = 0; k < p / 2; k++) {
      double a = 2 * Math.PI * k / p;
      cos[k] = Math.cos(a);
      sin[k] = -Math.sin(a);
    }
    if (pow2) {
      chirpRe = chirpIm = kernelRe = kernelIm = null;
      return;
    }
    chirpRe = new double[n];
    chirpIm = new double[n];
    long twoN = 2L * n;
    for (int k = 0; k < n; k++) {
      long r = (long) k * k % twoN;
      double a = Math.PI * r / n;
      chirpRe[k] = Math.cos(a);
      chirpIm[k] = -Math.sin(a);
    }
    kernelRe = new double[p];
    kernelIm = new double[p];
    kernelRe[0] = chirpRe[0];
    kernelIm[0] = -chirpIm[0];
    for (int k = 1; k < n; k++) {
      kernelRe[k] = kernelRe[p - k] = chirpRe[k];
      kernelIm[k] = kernelIm[p - k] = -chirpIm[k];
    }
    radix2(kernelRe, kernelIm, false);
  }

  /** In place: X_k = Σ_j x_j e^{-2πijk/n}; with {@code inverse}, x_j = (1/n) Σ_k X_k e^{+2πijk/n}. */
  void transform(double[] re, double[] im, boolean inverse) {
    if (re.length != n || im.length != n) throw new IllegalArgumentException("FFT of length " + n + " given " + re.length);
    if (inverse) negate(im);
    if (kernelRe == null) radix2(re, im, false);
    else bluestein(re, im);
    if (inverse) {
      negate(im);
      for (int i = 0; i < n; i++) {
        re[i] /= n;
        im[i] /= n;
      }
    }
  }

  private void bluestein(double[] re, double[] im) {
    double[] ar = new double[p], ai = new double[p];
    for (int k = 0; k < n; k++) {
      ar[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
      ai[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
    }
    radix2(ar, ai, false);
    for (int k = 0; k < p; k++) {
      double r = ar[k] * kernelRe[k] - ai[k] * kernelIm[k];
      ai[k] = ar[k] * kernelIm[k] + ai[k] * kernelRe[k];
      ar[k] = r;
    }
    radix2(ar, ai, true);
    for (int k = 0; k < n; k++) {
      double r = ar[k] / p, i = ai[k] / p;
      re[k] = r * chirpRe[k] - i * chirpIm[k];
      im[k] = r * chirpIm[k] + i * chirpRe[k];
    }
  }

  /** Unnormalised radix-2 transform of length p (sign + with {@code conjugate}). */
  private void radix2(double[] re, double[] im, boolean conjugate) {
    int len = re.length;
    for (int i = 1, j = 0; i < len; i++) {
      int bit = len >> 1;
      for (; (j & bit) != 0; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        double t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    double sign = conjugate ? -1 : 1;
    for (int size = 2; size <= len; size <<= 1) {
      int half = size >> 1, step = p / size;
      for (int start = 0; start < len; start += size) {
        for (int j = 0; j < half; j++) {
          double wr = cos[j * step], wi = sign * sin[j * step];
          int a = start + j, b = a + half;
          double vr = re[b] * wr - im[b] * wi, vi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - vr;
          im[b] = im[a] - vi;
          re[a] += vr;
          im[a] += vi;
        }
      }
    }
  }

  private static void negate(double[] v) {
    for (int i = 0; i < v.length; i++) v[i] = -v[i];
  }
}

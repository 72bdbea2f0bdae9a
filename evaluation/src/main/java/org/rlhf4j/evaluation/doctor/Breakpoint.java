package org.rlhf4j.evaluation.doctor;

/**
 * Locates where a curve turned: fits a continuous two-piece linear model
 * {@code y = a + s1 * min(x - b, 0) + s2 * max(x - b, 0)} (x = step) by least squares for every candidate
 * breakpoint b among the observations in a range and answers the best one.
 */
final class Breakpoint {
  /** Candidate breakpoints tried at most (evenly spaced), bounding the cost on long runs. */
  private static final int MAX_CANDIDATES = 500;

  private Breakpoint() {}

  /** Index in [{@code firstCandidate}, {@code to}) of the best breakpoint, fitting observations [from, to). */
  static int fit(Series s, int from, int firstCandidate, int to) {
    int best = firstCandidate;
    double bestSse = Double.POSITIVE_INFINITY;
    int stride = Math.max(1, (to - firstCandidate) / MAX_CANDIDATES);
    for (int b = firstCandidate; b < to; b += stride) {
      double sse = hinge(s, from, to, s.step(b))[0];
      if (sse < bestSse) {
        bestSse = sse;
        best = b;
      }
    }
    return best;
  }

  /** {slope before, slope after} of the hinge fit over observations [from, to) with its breakpoint at index b. */
  static double[] slopes(Series s, int from, int to, int b) {
    double[] h = hinge(s, from, to, s.step(b));
    return new double[] {h[1], h[2]};
  }

  /** {sse, slope before, slope after} of the hinge fit with breakpoint at step {@code b}. */
  private static double[] hinge(Series s, int from, int to, double b) {
    double[] beta = coefficients(s, from, to, b);
    if (beta == null) return new double[] {Double.POSITIVE_INFINITY, 0, 0};
    double sse = 0;
    for (int i = from; i < to; i++) {
      double[] f = features(s.step(i), b);
      double e = s.value(i) - (beta[0] * f[0] + beta[1] * f[1] + beta[2] * f[2]);
      sse += e * e;
    }
    return new double[] {sse, beta[1], beta[2]};
  }

  /** Least-squares coefficients {a, s1, s2} of the hinge model (normal equations, 3x3); null when singular. */
  private static double[] coefficients(Series s, int from, int to, double b) {
    double[][] a = new double[3][3];
    double[] r = new double[3];
    for (int i = from; i < to; i++) {
      double[] f = features(s.step(i), b);
      for (int j = 0; j < 3; j++) {
        r[j] += f[j] * s.value(i);
        for (int k = 0; k < 3; k++) a[j][k] += f[j] * f[k];
      }
    }
    return solve(a, r);
  }

  private static double[] features(double x, double b) {
    return new double[] {1, Math.min(x - b, 0), Math.max(x - b, 0)};
  }

  /** Gaussian elimination with partial pivoting; null when singular. */
  private static double[] solve(double[][] a, double[] r) {
    int n = r.length;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
      if (Math.abs(a[p][c]) < 1e-12) return null;
      double[] tr = a[c]; a[c] = a[p]; a[p] = tr;
      double t = r[c]; r[c] = r[p]; r[p] = t;
      for (int i = c + 1; i < n; i++) {
        double m = a[i][c] / a[c][c];
        for (int k = c; k < n; k++) a[i][k] -= m * a[c][k];
        r[i] -= m * r[c];
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double acc = r[i];
      for (int k = i + 1; k < n; k++) acc -= a[i][k] * x[k];
      x[i] = acc / a[i][i];
    }
    return x;
  }
}

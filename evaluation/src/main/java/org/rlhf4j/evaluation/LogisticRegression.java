package org.rlhf4j.evaluation;

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) for a handful of features, with
 * soft targets in [0, 1] and a small L2 penalty {@code (l2 / 2) * |beta|^2} that keeps the fit finite when the
 * data are separable (e.g. every prompt won). Minimises sum_i BCE(y_i, sigmoid(x_i . beta)) + penalty.
 */
final class LogisticRegression {
  private static final int MAX_ITERATIONS = 100;
  private static final double TOLERANCE = 1e-10;

  private LogisticRegression() {}

  /** Coefficients for rows {@code x[i]} (include a constant 1 column for an intercept) and targets {@code y}. */
  static double[] fit(double[][] x, double[] y, double l2) {
    int p = x[0].length;
    double[] beta = new double[p];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double[] grad = new double[p];
      double[][] hess = new double[p][p];
      for (int j = 0; j < p; j++) {
        grad[j] = l2 * beta[j];
        hess[j][j] = l2;
      }
      for (int i = 0; i < x.length; i++) {
        double mu = sigmoid(dot(x[i], beta));
        double w = mu * (1 - mu);
        for (int j = 0; j < p; j++) {
          grad[j] += (mu - y[i]) * x[i][j];
          for (int k = 0; k < p; k++) hess[j][k] += w * x[i][j] * x[i][k];
        }
      }
      double[] step = Cholesky.solve(hess, grad);
      double change = 0;
      for (int j = 0; j < p; j++) {
        beta[j] -= step[j];
        change = Math.max(change, Math.abs(step[j]));
      }
      if (change < TOLERANCE) break;
    }
    return beta;
  }

  static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Solves a symmetric positive-definite system. */
  static final class Cholesky {
    private Cholesky() {}

    static double[] solve(double[][] a, double[] b) {
      int n = b.length;
      double[][] l = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          double s = a[i][j];
          for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
          if (i == j) {
            if (!(s > 0)) throw new IllegalStateException("Hessian is not positive definite");
            l[i][i] = Math.sqrt(s);
          } else {
            l[i][j] = s / l[j][j];
          }
        }
      }
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++) s -= l[i][k] * z[k];
        z[i] = s / l[i][i];
      }
      double[] x = new double[n];
      for (int i = n - 1; i >= 0; i--) {
        double s = z[i];
        for (int k = i + 1; k < n; k++) s -= l[k][i] * x[k];
        x[i] = s / l[i][i];
      }
      return x;
    }
  }
}

package org.rlhf4j.synth.transform;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * A one-dimensional variational Bayesian Gaussian mixture with a Dirichlet-process (stick-breaking) prior on the
 * weights: the model CTGAN's mode-specific normalisation fits per continuous column (scikit-learn's
 * {@code BayesianGaussianMixture(n_components=10, weight_concentration_prior_type="dirichlet_process",
 * weight_concentration_prior=0.001)}), written from Bishop (2006, ch. 10) and Blei &amp; Jordan (2006). The small
 * concentration prior empties the components the data do not need; {@link #weights()} near 0 mark them.
 *
 * <p>Priors as scikit-learn's defaults: mean prior = the data mean, mean precision prior 1, degrees of freedom 1,
 * variance prior = the data variance; responsibilities start from a 1-D k-means from quantile centres
 * (deterministic), then variational EM runs until the summed log-density changes by less than {@code tol}.
 */
public final class VariationalGaussianMixture {
  private static final double REG = 1e-6;
  private static final double TINY = 10 * Math.ulp(1.0);

  private final double[] weights, means, stds;
  private final double[] precisionChol;
  /** Per component, every term of the log responsibility but the quadratic one (computed once per M-step). */
  private final double[] logConst;

  private VariationalGaussianMixture(double[] alpha, double[] beta, double[] means, double[] meanPrecision, double[] dof,
      double[] variances) {
    int k = means.length;
    this.means = means;
    this.precisionChol = new double[k];
    this.stds = new double[k];
    this.logConst = new double[k];
    double digammaSumPrev = 0;
    for (int j = 0; j < k; j++) {
      precisionChol[j] = 1 / Math.sqrt(variances[j]);
      stds[j] = Math.sqrt(variances[j]);
      double dsum = Gamma.digamma(alpha[j] + beta[j]);
      double logWeight = Gamma.digamma(alpha[j]) - dsum + digammaSumPrev; // E[log pi_j] under stick-breaking
      digammaSumPrev += Gamma.digamma(beta[j]) - dsum;
      double logLambda = Math.log(2.0) + Gamma.digamma(0.5 * dof[j]);
      logConst[j] = logWeight - 0.5 * Math.log(2 * Math.PI) + Math.log(precisionChol[j]) - 0.5 * Math.log(dof[j])
          + 0.5 * (logLambda - 1 / meanPrecision[j]);
    }
    this.weights = stickWeights(alpha, beta);
  }

  /** Fits {@code components} components to {@code x} (at least 2 distinct values). */
  public static VariationalGaussianMixture fit(double[] x, int components, double concentration, int maxIter, double tol) {
    if (x.length < 2) throw new IllegalArgumentException("a mixture needs at least 2 values, got " + x.length);
    int k = Math.min(components, x.length);
    double mean = Arrays.stream(x).average().orElseThrow();
    double var = 0;
    for (double v : x) var += (v - mean) * (v - mean);
    var /= x.length - 1; // np.cov: unbiased
    if (!(var > 0)) throw new IllegalArgumentException("a mixture needs values that vary");
    double[][] resp = kmeansResponsibilities(x, k);
    Priors priors = new Priors(concentration, mean, 1.0, 1.0, var);
    VariationalGaussianMixture m = mStep(x, resp, priors);
    double previous = Double.NEGATIVE_INFINITY;
    for (int it = 0; it < maxIter; it++) {
      double score = m.eStep(x, resp);
      m = mStep(x, resp, priors);
      if (Math.abs(score - previous) < tol) break;
      previous = score;
    }
    return m;
  }

  /** scikit-learn's settings as CTGAN uses them: 10 components, concentration 0.001, 100 iterations, tol 1e-3. */
  public static VariationalGaussianMixture fit(double[] x) { return fit(x, 10, 1e-3, 100, 1e-3); }

  private record Priors(double concentration, double mean, double meanPrecision, double dof, double variance) {}

  private static VariationalGaussianMixture mStep(double[] x, double[][] resp, Priors p) {
    int k = resp[0].length;
    double[] nk = new double[k], xk = new double[k], sk = new double[k];
    for (int i = 0; i < x.length; i++) for (int j = 0; j < k; j++) {
      nk[j] += resp[i][j];
      xk[j] += resp[i][j] * x[i];
    }
    for (int j = 0; j < k; j++) {
      nk[j] += TINY;
      xk[j] /= nk[j];
    }
    for (int i = 0; i < x.length; i++) for (int j = 0; j < k; j++) {
      double d = x[i] - xk[j];
      sk[j] += resp[i][j] * d * d;
    }
    double[] alpha = new double[k], beta = new double[k], lambda = new double[k], means = new double[k];
    double[] dof = new double[k], variances = new double[k];
    double tail = 0;
    for (int j = k - 1; j >= 0; j--) { // stick-breaking: beta_j = prior + the counts of the components after j
      alpha[j] = 1 + nk[j];
      beta[j] = p.concentration + tail;
      tail += nk[j];
    }
    for (int j = 0; j < k; j++) {
      sk[j] = sk[j] / nk[j] + REG;
      lambda[j] = p.meanPrecision + nk[j];
      means[j] = (p.meanPrecision * p.mean + nk[j] * xk[j]) / lambda[j];
      dof[j] = p.dof + nk[j];
      double diff = xk[j] - p.mean;
      double cov = p.variance + nk[j] * sk[j] + nk[j] * p.meanPrecision / lambda[j] * diff * diff;
      variances[j] = cov / dof[j];
    }
    return new VariationalGaussianMixture(alpha, beta, means, lambda, dof, variances);
  }

  /**
   * Fills {@code resp} with the posterior responsibilities; returns the summed log normaliser (the convergence score:
   * a total, as scikit-learn's lower bound is, so {@code tol} means the same at any sample size).
   */
  private double eStep(double[] x, double[][] resp) {
    double total = 0;
    for (int i = 0; i < x.length; i++) total += logResponsibilities(x[i], resp[i]);
    for (double[] r : resp) for (int j = 0; j < r.length; j++) r[j] = Math.exp(r[j]);
    return total;
  }

  /** Writes log responsibilities of {@code v} into {@code out}; returns their log normaliser. */
  private double logResponsibilities(double v, double[] out) {
    int k = means.length;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double z = (v - means[j]) * precisionChol[j];
      out[j] = logConst[j] - 0.5 * z * z;
      max = Math.max(max, out[j]);
    }
    double s = 0;
    for (int j = 0; j < k; j++) s += Math.exp(out[j] - max);
    double norm = max + Math.log(s);
    for (int j = 0; j < k; j++) out[j] -= norm;
    return norm;
  }

  /** The posterior probability of each component for {@code v} (sums to 1). */
  public double[] responsibilities(double v) {
    double[] r = new double[means.length];
    logResponsibilities(v, r);
    for (int j = 0; j < r.length; j++) r[j] = Math.exp(r[j]);
    return r;
  }

  private static double[] stickWeights(double[] a, double[] b) {
    double[] w = new double[a.length];
    double remaining = 1, sum = 0;
    for (int j = 0; j < a.length; j++) {
      double frac = a[j] / (a[j] + b[j]);
      w[j] = frac * remaining;
      remaining *= 1 - frac;
      sum += w[j];
    }
    for (int j = 0; j < w.length; j++) w[j] /= sum;
    return w;
  }

  /** 1-D k-means from quantile centres, as one-hot responsibilities (scikit-learn starts from k-means labels too). */
  private static double[][] kmeansResponsibilities(double[] x, int k) {
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    double[] c = new double[k];
    for (int j = 0; j < k; j++) c[j] = sorted[(int) ((j + 0.5) * sorted.length / k)];
    int[] label = new int[x.length];
    for (int it = 0; it < 50; it++) {
      double[] sum = new double[k];
      int[] count = new int[k];
      boolean changed = false;
      for (int i = 0; i < x.length; i++) {
        int best = 0;
        for (int j = 1; j < k; j++) if (Math.abs(x[i] - c[j]) < Math.abs(x[i] - c[best])) best = j;
        changed |= best != label[i] || it == 0;
        label[i] = best;
        sum[best] += x[i];
        count[best]++;
      }
      for (int j = 0; j < k; j++) if (count[j] > 0) c[j] = sum[j] / count[j];
      if (!changed) break;
    }
    double[][] resp = new double[x.length][k];
    for (int i = 0; i < x.length; i++) resp[i][label[i]] = 1;
    return resp;
  }

  public int components() { return means.length; }

  public double[] weights() { return weights.clone(); }

  public double[] means() { return means.clone(); }

  public double[] stds() { return stds.clone(); }
}

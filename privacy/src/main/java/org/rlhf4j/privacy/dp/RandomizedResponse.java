package org.rlhf4j.privacy.dp;

/**
 * Local differential privacy for one bit (a thumbs up/down): each client reports the truth with probability
 * p = e^ε / (1 + e^ε) and the opposite otherwise (Warner 1965; ε-LDP since p / (1−p) = e^ε), so the server never
 * sees a true vote. The server's unbiased estimate of the true rate π from the reported rate λ̂ is
 * π̂ = (λ̂ − (1 − p)) / (2p − 1), with variance λ(1 − λ) / (n (2p − 1)²) (Wang et al., USENIX Security 2017, §4).
 */
public record RandomizedResponse(double epsilon) {
  public RandomizedResponse {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
  }

  /** The probability of reporting the truth. */
  public double truthProbability() { return 1 / (1 + Math.exp(-epsilon)); }

  /** What a client sends instead of {@code truth}. */
  public boolean respond(boolean truth, SecureNoise noise) { return noise.bernoulli(truthProbability()) == truth; }

  /** The server's estimate of the true rate and its standard error. */
  public record Estimate(double rate, double standardError, long n) {}

  /** Unbiased estimate from {@code reportedTrue} of {@code n} randomised reports (not clamped: clamping biases it). */
  public Estimate estimate(long reportedTrue, long n) {
    if (n <= 0 || reportedTrue < 0 || reportedTrue > n) throw new IllegalArgumentException("need 0 <= reportedTrue <= n, n > 0");
    double p = truthProbability();
    double lambda = reportedTrue / (double) n;
    double rate = (lambda - (1 - p)) / (2 * p - 1);
    return new Estimate(rate, Math.sqrt(lambda * (1 - lambda) / n) / (2 * p - 1), n);
  }

  /** The estimator's standard deviation when the true rate is {@code pi} (for planning). */
  public double stddev(double pi, long n) {
    double p = truthProbability();
    double lambda = pi * p + (1 - pi) * (1 - p);
    return Math.sqrt(lambda * (1 - lambda) / n) / (2 * p - 1);
  }
}

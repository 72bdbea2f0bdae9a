package org.rlhf4j.privacy.dp;

/**
 * Local differential privacy for one bit (a thumbs up/down): each client reports the truth with probability
 * p = e^ε / (1 + e^ε) and the opposite otherwise (Warner 1965; ε-LDP since p / (1−p) = e^ε), so the server never
 * sees a true vote. The server's unbiased estimate of the true rate π from the reported rate λ̂ is
 * π̂ = (λ̂ − (1 − p)) / (2p − 1) (Wang et al., USENIX Security 2017, §4). Its variance is p(1 − p) / (n (2p − 1)²)
 * for the rate of a fixed set of n votes (the randomisation alone), and λ(1 − λ) / (n (2p − 1)²) when the votes are
 * themselves a sample of a population with rate π (λ = πp + (1 − π)(1 − p)).
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

  /**
   * Unbiased estimate from {@code reportedTrue} of {@code n} randomised reports (not clamped: clamping biases it),
   * with the standard error of the population rate (votes as a sample).
   */
  public Estimate estimate(long reportedTrue, long n) {
    if (n <= 0 || reportedTrue < 0 || reportedTrue > n) throw new IllegalArgumentException("need 0 <= reportedTrue <= n, n > 0");
    double p = truthProbability();
    double lambda = reportedTrue / (double) n;
    double rate = (lambda - (1 - p)) / (2 * p - 1);
    return new Estimate(rate, Math.sqrt(lambda * (1 - lambda) / n) / (2 * p - 1), n);
  }

  /** The estimator's standard deviation for the rate of a fixed set of {@code n} votes: the randomisation's share. */
  public double noiseStddev(long n) {
    double p = truthProbability();
    return Math.sqrt(p * (1 - p) / n) / (2 * p - 1);
  }
}

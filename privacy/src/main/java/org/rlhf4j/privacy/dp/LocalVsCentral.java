package org.rlhf4j.privacy.dp;

/**
 * Accuracy of a thumbs-up rate released at the same ε centrally (the server holds the true votes and adds discrete
 * Laplace noise to the count, {@link DpStatistics#rate}) and locally (each client randomises its own vote,
 * {@link RandomizedResponse}; the server debiases). Root-mean-square errors measured over {@code trials} simulated
 * datasets of {@code n} votes with true rate {@code rate}, beside the analytic standard deviations.
 */
public final class LocalVsCentral {
  /** Measured RMSE and analytic standard deviation of each estimate. */
  public record Comparison(double epsilon, long n, double rate, int trials, double centralRmse, double centralSd,
      double localRmse, double localSd) {
    /** How many times larger the local error is. */
    public double ratio() { return localRmse / centralRmse; }
  }

  private LocalVsCentral() {}

  public static Comparison compare(double epsilon, long n, double rate, int trials, SecureNoise noise) {
    if (n <= 0 || trials <= 0 || !(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("need n > 0, trials > 0, rate in [0, 1]");
    Mechanism.Laplace central = new Mechanism.Laplace(epsilon, 1, noise);
    RandomizedResponse rr = new RandomizedResponse(epsilon);
    double sc = 0;
    double sl = 0;
    long ups = Math.round(rate * n);
    double truth = ups / (double) n;
    for (int t = 0; t < trials; t++) {
      double c = central.releaseCount(ups) / (double) n - truth;
      long reported = 0;
      for (long i = 0; i < n; i++) if (rr.respond(i < ups, noise)) reported++;
      double l = rr.estimate(reported, n).rate() - truth;
      sc += c * c;
      sl += l * l;
    }
    return new Comparison(epsilon, n, truth, trials, Math.sqrt(sc / trials), central.noiseStddev() / n, Math.sqrt(sl / trials),
        rr.noiseStddev(n));
  }
}

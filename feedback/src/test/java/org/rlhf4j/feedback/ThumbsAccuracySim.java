package org.rlhf4j.feedback;

import java.util.Locale;
import java.util.SplittableRandom;
import org.rlhf4j.privacy.dp.DpStatistics;
import org.rlhf4j.privacy.dp.PrivacyCost;
import org.rlhf4j.privacy.dp.PrivacyLedger;
import org.rlhf4j.privacy.dp.RandomizedResponse;
import org.rlhf4j.privacy.dp.SecureNoise;

/**
 * Central vs local DP for the thumbs-up rate at the same ε, through the service's two paths: the central release
 * ({@link DpStatistics#rate} as {@code POST .../dp thumbs-up} makes it) and the client's randomised response with the
 * server's estimator ({@link LocalThumbs#estimate}). Seeded; prints one JSON line per (ε, n): RMSE of each against the
 * true rate of the trial's votes over {@code trials} simulated vote sets (true rate 0.3).
 * {@code mvn -q -pl feedback -am test-compile exec:java -Dexec.skip=true -Dexec.mainClass=org.rlhf4j.feedback.ThumbsAccuracySim -Dexec.args="200"}
 */
public final class ThumbsAccuracySim {
  public static void main(String[] args) {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SplittableRandom seeds = new SplittableRandom(2026);
    for (double eps : new double[] {0.5, 1, 2}) {
      for (int n : new int[] {1000, 10000}) {
        double central = 0, local = 0;
        SecureNoise noise = new SecureNoise(seeds.split());
        SplittableRandom votes = seeds.split();
        RandomizedResponse rr = new RandomizedResponse(eps);
        for (int t = 0; t < trials; t++) {
          long ups = 0, reported = 0;
          for (int i = 0; i < n; i++) {
            boolean up = votes.nextDouble() < 0.3;
            if (up) ups++;
            if (rr.respond(up, noise)) reported++;
          }
          double truth = ups / (double) n;
          PrivacyLedger ledger = PrivacyLedger.inMemory();
          ledger.setBudget("sim", PrivacyCost.pure(eps));
          double c = new DpStatistics(ledger, "sim", noise).rate("thumbs-up rate", ups, n, eps).value();
          double l = LocalThumbs.estimate(eps, reported, n).rate();
          central += (c - truth) * (c - truth);
          local += (l - truth) * (l - truth);
        }
        double cr = Math.sqrt(central / trials), lr = Math.sqrt(local / trials);
        System.out.println(String.format(Locale.ROOT, "{\"epsilon\":%s,\"n\":%d,\"trials\":%d,\"true_rate\":0.3,\"central_rmse\":%.5f,\"local_rmse\":%.5f,\"local_over_central\":%.1f}",
            eps, n, trials, cr, lr, lr / cr));
      }
    }
  }
}

package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.dp.LocalVsCentral;
import org.rlhf4j.privacy.dp.SecureNoise;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j dp accuracy}: error of a thumbs-up rate under central DP vs local randomised response at one ε. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
    description = {"Simulates --trials datasets of --n thumbs votes with true rate --rate and prints the root-mean-square "
        + "error of the rate released at --epsilon centrally (server adds discrete Laplace noise to the count) and locally "
        + "(each client randomises its vote; the server debiases), beside the analytic standard deviations."})
public final class DpAccuracyCommand implements Callable<Integer> {
  @Option(names = "--epsilon", required = true, description = "Epsilon of each release / each client.") double epsilon;
  @Option(names = "--n", defaultValue = "1000", description = "Votes per dataset (default ${DEFAULT-VALUE}).") long n;
  @Option(names = "--rate", defaultValue = "0.3", description = "True thumbs-up rate (default ${DEFAULT-VALUE}).") double rate;
  @Option(names = "--trials", defaultValue = "200", description = "Simulated datasets (default ${DEFAULT-VALUE}).") int trials;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override public Integer call() throws Exception {
    LocalVsCentral.Comparison c;
    try {
      c = LocalVsCentral.compare(epsilon, n, rate, trials, SecureNoise.secure());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("epsilon", c.epsilon());
      o.put("n", c.n());
      o.put("rate", c.rate());
      o.put("trials", c.trials());
      o.put("central_rmse", c.centralRmse());
      o.put("central_sd", c.centralSd());
      o.put("local_rmse", c.localRmse());
      o.put("local_sd", c.localSd());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(Locale.ROOT, "eps %s, n %d, rate %.3f, %d trials: central RMSE %.5f (sd %.5f), local RMSE %.5f (sd %.5f): local is %.1fx worse%n",
          c.epsilon(), c.n(), c.rate(), c.trials(), c.centralRmse(), c.centralSd(), c.localRmse(), c.localSd(), c.ratio());
    }
    return 0;
  }
}

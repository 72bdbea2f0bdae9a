package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.accounting.Accountant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j dp noise}: the smallest noise multiplier reaching a target ε. */
@Command(name = "noise", mixinStandardHelpOptions = true,
    description = "Prints the smallest noise multiplier sigma whose epsilon (RDP accountant, or --accountant prv) is at most --epsilon.")
public final class DpNoiseCommand implements Callable<Integer> {
  @Option(names = "--epsilon", required = true, description = "Target epsilon.") double epsilon;
  @Option(names = "--sample-rate", required = true, description = "Poisson sampling rate q.") double q;
  @Option(names = "--steps", required = true, description = "Optimizer steps.") long steps;
  @Option(names = "--delta", required = true, description = "Target delta.") double delta;
  @Option(names = "--accountant", defaultValue = "rdp", description = "rdp (default) or prv.") String accountant;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override public Integer call() throws Exception {
    Accountant a = DpCommand.accountant(accountant);
    double sigma = DpCommand.checked(() -> a.noiseFor(epsilon, q, steps, delta));
    double reached = a.epsilon(sigma, q, steps, delta);
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(Map.of("noise_multiplier", sigma, "epsilon", reached, "delta", delta)));
    } else {
      System.out.printf(Locale.ROOT, "noise multiplier %.4f gives epsilon %.4f (target %s) for delta %s%n", sigma, reached, epsilon, delta);
    }
    return 0;
  }
}

package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.accounting.Accountant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j dp epsilon}: ε of DP-SGD for δ, from the accountant alone. */
@Command(name = "epsilon", mixinStandardHelpOptions = true,
    description = {"Prints the epsilon of DP-SGD with Poisson sampling at --sample-rate, Gaussian noise multiplier --noise, "
        + "--steps steps, for --delta. RDP accountant with Opacus's orders and its current RDP-to-(eps, delta) conversion "
        + "(Balle et al. 2020); Opacus before 1.0 used Mironov 2017's, which gives larger eps. --accountant prv: the PRV "
        + "accountant (Gopi et al. 2021, as Opacus's prv), tighter; its upper bound (eps error 0.01, delta error delta/1000)."})
public final class DpEpsilonCommand implements Callable<Integer> {
  @Option(names = "--noise", required = true, description = "Noise multiplier sigma (noise std / clipping norm).") double noise;
  @Option(names = "--sample-rate", required = true, description = "Poisson sampling rate q (batch size / dataset size).") double q;
  @Option(names = "--steps", required = true, description = "Optimizer steps.") long steps;
  @Option(names = "--delta", required = true, description = "Target delta (typically < 1/dataset size).") double delta;
  @Option(names = "--accountant", defaultValue = "rdp", description = "rdp (default) or prv.") String accountant;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override public Integer call() throws Exception {
    Accountant a = DpCommand.accountant(accountant);
    double eps = DpCommand.checked(() -> a.epsilon(noise, q, steps, delta));
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("epsilon", eps);
      o.put("delta", delta);
      o.put("noise_multiplier", noise);
      o.put("sample_rate", q);
      o.put("steps", steps);
      o.put("accountant", a.name());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(Locale.ROOT, "epsilon %.4f for delta %s (%s accountant; sigma %s, q %s, %d steps)%n", eps, delta, a.name(), noise, q, steps);
    }
    return 0;
  }
}

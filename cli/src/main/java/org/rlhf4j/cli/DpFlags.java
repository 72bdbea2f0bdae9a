package org.rlhf4j.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.privacy.accounting.Accountant;
import org.rlhf4j.training.dp.DpSgd;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.loop.TrainConfig;
import picocli.CommandLine.Option;

/** The DP-SGD flags of {@code reward} and {@code dpo} (one set, read one way): noise or a target ε, clip, δ. */
public final class DpFlags {
  static final Set<String> KEYS = Set.of("dp_noise", "dp_clip", "dp_delta", "dp_epsilon", "dp_accountant");

  @Option(names = "--dp-noise", description = "DP-SGD noise multiplier sigma (Poisson sampling, per-pair clipping; --batch-size is the expected batch).") Double dpNoise;
  @Option(names = "--dp-clip", description = "DP-SGD per-pair gradient clipping norm (default 1.0).") Double dpClip;
  @Option(names = "--dp-delta", description = "DP-SGD delta (default 1/(10 N)).") Double dpDelta;
  @Option(names = "--dp-epsilon", description = "DP-SGD target epsilon: solves for the noise multiplier over --max-steps.") Double dpEpsilon;
  @Option(names = "--dp-accountant", description = "DP-SGD accountant for epsilon (metrics, privacy.json, --dp-epsilon's sigma): rdp "
      + "(default) or prv (tighter: Gopi et al. 2021, as Opacus's prv).") String dpAccountant;

  /** A command's own keys and these. */
  static Set<String> with(Set<String> keys) {
    Set<String> out = new java.util.HashSet<>(keys);
    out.addAll(KEYS);
    return Set.copyOf(out);
  }

  /** The flags given, into the settings (over the config file's keys). */
  void put(Settings s) {
    s.put("dp_noise", dpNoise);
    s.put("dp_clip", dpClip);
    s.put("dp_delta", dpDelta);
    s.put("dp_epsilon", dpEpsilon);
    s.put("dp_accountant", dpAccountant);
  }

  /** Whether the settings ask for DP-SGD. */
  static boolean on(Settings s) { return s.has("dp_noise") || s.has("dp_epsilon"); }

  /** The defaults the settings reference shows. */
  static void defaults(Map<String, Object> d) {
    d.put("dp_clip", 1.0);
    d.put("dp_delta", "1/(10 N)");
    d.put("dp_accountant", "rdp");
  }

  /**
   * DP-SGD settings for {@code n} examples at expected batch {@code batch} (σ given, or solved with the configured
   * accountant for the target ε over the run's steps), with the plan printed to stderr; null when DP-SGD is off.
   */
  static DpSgdConfig config(Settings s, String command, int n, int batch, TrainConfig cfg) {
    if (!on(s)) return null;
    if (s.has("dp_noise") && s.has("dp_epsilon")) throw new UserError("give --dp-noise or --dp-epsilon, not both");
    int b = Math.min(batch, n);
    double delta = s.number("dp_delta", 1.0 / (10.0 * n));
    String name = s.string("dp_accountant", "rdp");
    Accountant accountant;
    try {
      accountant = Accountant.named(name);
    } catch (IllegalArgumentException e) {
      throw new UserError("--dp-" + e.getMessage());
    }
    double sigma = s.has("dp_noise") ? s.number("dp_noise", 0)
        : DpCommand.checked(() -> accountant.noiseFor(s.number("dp_epsilon", 0), b / (double) n, cfg.maxSteps(), delta));
    try {
      DpSgdConfig dp = new DpSgdConfig(sigma, s.number("dp_clip", 1.0), delta, b, n, cfg.seed(), name);
      System.err.printf(Locale.ROOT, "%s: DP-SGD sigma %.4f, clip %s, q %.5f, %d steps -> epsilon %.3f at delta %.2g (%s accountant)%n", command,
          sigma, dp.clipNorm(), dp.sampleRate(), cfg.maxSteps(), new DpSgd(dp).epsilon(cfg.maxSteps()), delta, name);
      return dp;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}

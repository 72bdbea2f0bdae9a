package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j dp}: differential-privacy planning (accountant, noise for a target ε, central vs local accuracy). */
@Command(name = "dp", mixinStandardHelpOptions = true, subcommands = {DpEpsilonCommand.class, DpNoiseCommand.class, DpAccuracyCommand.class},
    description = {"Differential privacy planning: the accountant on its own (epsilon), the noise multiplier for a target "
        + "epsilon (noise), central vs local DP accuracy of a rate (accuracy). See privacy/README.md."})
public final class DpCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }

  /** The accountant named by --accountant. */
  static org.rlhf4j.privacy.accounting.Accountant accountant(String name) {
    try {
      return org.rlhf4j.privacy.accounting.Accountant.named(name);
    } catch (IllegalArgumentException e) {
      throw new UserError("--" + e.getMessage());
    }
  }

  /** Runs an accountant call, turning a bad argument into a one-line error. */
  static double checked(java.util.function.DoubleSupplier f) {
    try {
      return f.getAsDouble();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}

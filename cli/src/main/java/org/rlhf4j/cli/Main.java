package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rlhf4j} command: one subcommand per file in this package. */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, version = "rlhf4j 0.1.0",
    description = "Reinforcement learning from human feedback for the JVM.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }

  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

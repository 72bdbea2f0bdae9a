package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j example}: worked examples on real data and real pretrained models. */
@Command(name = "example", mixinStandardHelpOptions = true, subcommands = {ExampleSentimentCommand.class},
    description = "Worked examples on real text with real pretrained models (they read ../shared: fixtures and data).")
public final class ExampleCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}

package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j redteam}: generated attacks and their success rate against a policy (its subcommands). */
@Command(name = "redteam", mixinStandardHelpOptions = true,
    description = "Red-teaming: generate attacks (paraphrases and jailbreak wrappers of seed requests), then measure a policy's "
        + "attack success rate with a judge.",
    subcommands = {RedteamGenerateCommand.class, RedteamEvalCommand.class})
public final class RedteamCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}

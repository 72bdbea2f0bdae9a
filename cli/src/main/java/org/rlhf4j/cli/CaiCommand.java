package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j cai}: Constitutional AI, both stages (its subcommands). */
@Command(name = "cai", mixinStandardHelpOptions = true,
    description = {"Constitutional AI (Bai et al. 2022): critique-revise writes SL-CAI's fine-tuning data; label writes RL-CAI's "
        + "AI preference labels. The constitution is a YAML/JSON file of principles (see ai-feedback/README.md)."},
    subcommands = {CaiCritiqueReviseCommand.class, CaiLabelCommand.class})
public final class CaiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}

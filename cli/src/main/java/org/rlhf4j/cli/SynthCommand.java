package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j synth ...}: synthetic data (one subcommand per file: SynthFitCommand, SynthSampleCommand, SynthReportCommand, SynthPromptsCommand, SynthPairsCommand). */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = "Synthetic data: fit a table synthesizer (CTGAN or a Gaussian copula), sample from it, report on fidelity, utility and privacy; synthesize prompts (self-instruct) and AI-labelled preference pairs.",
    subcommands = {SynthFitCommand.class, SynthSampleCommand.class, SynthReportCommand.class, SynthPromptsCommand.class,
        SynthPairsCommand.class})
public final class SynthCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}

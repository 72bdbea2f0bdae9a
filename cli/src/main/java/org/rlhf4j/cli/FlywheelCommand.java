package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j flywheel}: one turn of the data flywheel (learn from production feedback), then an A/B decision. */
@Command(name = "flywheel", mixinStandardHelpOptions = true, subcommands = {FlywheelTurnCommand.class, FlywheelDecideCommand.class},
    description = {"The data flywheel, one turn at a time, over a model registry (OUTPUT/registry.json):",
        "  turn    export the production feedback from the feedback service (explicit thumbs and implicit signals),",
        "          train the current version on it (KTO on unpaired labels, then DPO where corrections give pairs)",
        "          and register the result as the candidate version;",
        "  decide  read the per-version feedback rates of the A/B test (serve-model --ab-model) and promote the",
        "          candidate, roll it back, or keep collecting (two-proportion z-test).",
        "The feedback service login comes from " + FlywheelFlags.USER_ENV + " (default admin) and " + FlywheelFlags.PASSWORD_ENV + "."})
public final class FlywheelCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}

package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rlhf4j} command: one subcommand per file in this package. */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, version = "rlhf4j 0.1.0",
    description = "Reinforcement learning from human feedback for the JVM.",
    subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, BenchCommand.class, ServeCommand.class, DemoCommand.class,
        PretrainCommand.class, SftCommand.class, RewardCommand.class, ScoreCommand.class, EvalRewardCommand.class,
        DpoCommand.class, KtoCommand.class, PpoCommand.class, RlooCommand.class, GrpoCommand.class, BestOfNCommand.class, DoctorCommand.class,
        LabelCommand.class, CaiCommand.class, RedteamCommand.class,
        SynthCommand.class, PiiCommand.class, DpCommand.class, AnonymizeCommand.class, MiaCommand.class, LoraCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // Bad input gets one line naming the problem and a non-zero exit, never a stack trace.
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + msg); // "rlhf4j cai label: error: ..."
      if (System.getenv("RLHF4J_DEBUG") != null) ex.printStackTrace(cmd.getErr());
      return ex instanceof UserError ? 2 : 1;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

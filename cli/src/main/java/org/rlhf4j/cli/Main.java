package org.rlhf4j.cli;

import org.rlhf4j.runtime.ThreadPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rlhf4j} command: one subcommand per file in this package. */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, version = "rlhf4j 0.1.0",
    description = "Reinforcement learning from human feedback for the JVM.",
    subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, BenchCommand.class, ServeCommand.class, ServeModelCommand.class, DemoCommand.class,
        PretrainCommand.class, SftCommand.class, RewardCommand.class, ScoreCommand.class, EvalRewardCommand.class,
        DpoCommand.class, KtoCommand.class, PpoCommand.class, RlooCommand.class, GrpoCommand.class, BestOfNCommand.class, DoctorCommand.class,
        LabelCommand.class, CaiCommand.class, RedteamCommand.class,
        SynthCommand.class, PiiCommand.class, DpCommand.class, AnonymizeCommand.class, MiaCommand.class, LoraCommand.class, FlywheelCommand.class,
        ExampleCommand.class})
public final class Main implements Runnable {
  /** Top-level commands that never load libtorch: their pools are left alone (sizing them would load it). */
  private static final java.util.Set<String> NO_LIBTORCH = java.util.Set.of("help", "serve", "doctor", "pii", "dp", "anonymize");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N|T,B",
      description = "Threads for libtorch and OpenBLAS: N for both, or T,B (default: RLHF4J_THREADS, else "
          + "OMP_NUM_THREADS/OPENBLAS_NUM_THREADS, else every core).")
  String threads;

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
    cl.setExecutionStrategy(parsed -> {
      sizePools(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cl;
  }

  /** Sizes libtorch's and OpenBLAS's pools once, before any command that may load libtorch runs. */
  static void sizePools(CommandLine.ParseResult parsed) {
    if (!parsed.hasSubcommand() || NO_LIBTORCH.contains(parsed.subcommand().commandSpec().name())) return;
    if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) return;
    String flag = null;
    for (CommandLine.ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.isUsageHelpRequested()) return;
      flag = p.matchedOptionValue("--threads", flag);
    }
    ThreadPlan plan;
    try {
      plan = ThreadPlan.resolve(flag);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), e.getMessage(), e);
    }
    plan.apply();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

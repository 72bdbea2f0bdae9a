package org.rlhf4j.cli;

import org.rlhf4j.runtime.ThreadPlan;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.data.format.DataFormatException;
import org.rlhf4j.models.tokenizer.ChatTemplateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rlhf4j} command: one subcommand per file in this package. */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, version = "rlhf4j 0.1.0",
    description = "Reinforcement learning from human feedback for the JVM.",
    subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, BenchCommand.class, ServeCommand.class, ServeModelCommand.class, DemoCommand.class,
        PretrainCommand.class, SftCommand.class, RewardCommand.class, ScoreCommand.class, EvalRewardCommand.class,
        DpoCommand.class, KtoCommand.class, PpoCommand.class, RlooCommand.class, GrpoCommand.class, BestOfNCommand.class, DoctorCommand.class, ReportCommand.class,
        LabelCommand.class, CaiCommand.class, RedteamCommand.class,
        SynthCommand.class, PiiCommand.class, DpCommand.class, AnonymizeCommand.class, MiaCommand.class, LoraCommand.class, FlywheelCommand.class, LaunchCommand.class,
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
    ConfigReference.install(cl); // every training command's --help lists its settings with their defaults
    // Bad input gets one line naming the problem and a non-zero exit, never a stack trace.
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      String msg = ex.getMessage() == null ? ex.toString() : userWords(ex.getMessage(), cmd.getCommandSpec());
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + msg); // "rlhf4j cai label: error: ..."
      if (System.getenv("RLHF4J_DEBUG") != null) ex.printStackTrace(cmd.getErr());
      return exitCode(ex);
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

  /**
   * The exit-code convention (README, "Exit codes"): 2 = usage or input (a flag, a setting, a data file, a template;
   * picocli's own usage errors are 2 too), 1 = a runtime failure, 3 = the doctor raised flags with --fail-on-flags.
   */
  static int exitCode(Exception ex) {
    return ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof DataFormatException
        || ex instanceof ChatTemplateException || ex instanceof org.rlhf4j.common.TextFiles.NotUtf8Exception
        || ex instanceof java.io.UncheckedIOException u && u.getCause() instanceof java.nio.file.NoSuchFileException ? 2 : 1;
  }

  /** Record fields whose setting has another name (the on-policy configs count iterations and prompts). */
  private static final java.util.Map<String, String> ALIASES = java.util.Map.of("iterations", "max_steps",
      "promptsPerIteration", "batch_size", "outputDir", "output", "ppoEpochs", "num_ppo_epochs", "epochs", "num_ppo_epochs",
      "k", "num_generations");

  private static final Pattern FIELD = Pattern.compile(
      "(?:\\b[A-Z][A-Za-z]+: ([a-z][A-Za-z0-9]*)|\\b([a-z]+(?:[A-Z][a-z0-9]*)+))(?= must| needs)");

  /**
   * Library checks name record fields ("TrainConfig: maxSteps must be >= 1"); the user typed a flag or a config key:
   * "--max-steps (max_steps) must be >= 1" when the command has that flag, else the key "max_steps".
   */
  static String userWords(String message, CommandLine.Model.CommandSpec spec) {
    Matcher m = FIELD.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String field = m.group(1) != null ? m.group(1) : m.group(2);
      String snake = ALIASES.getOrDefault(field, field.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
      String flag = "--" + snake.replace('_', '-');
      m.appendReplacement(out, Matcher.quoteReplacement(spec.findOption(flag) != null ? flag + " (" + snake + ")" : "'" + snake + "'"));
    }
    return m.appendTail(out).toString();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.aifeedback.cai.Constitution;
import org.rlhf4j.aifeedback.cai.RlCai;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j cai label}: RL-CAI's AI preference labels, one randomly drawn principle per pair. */
@Command(name = "label", mixinStandardHelpOptions = true,
    description = {"RL-CAI: the feedback model (--judge) chooses between two responses under a principle's preference question "
        + "drawn at random per pair; probabilities from the option tokens, both orders; --chain-of-thought N reasons first "
        + "(probabilities then clamped to 40-60%, as in the paper). Writes a preference file for `rlhf4j reward` / `rlhf4j dpo` "
        + "(then `rlhf4j ppo` against the reward model); resumable."})
public final class CaiLabelCommand implements Callable<Integer> {
  @Mixin PairFlags pairFlags;
  @Option(names = "--constitution", description = "Constitution file with preference_question principles (default: the built-in one).") Path constitution;
  @Option(names = "--output", required = true, description = "Preference file to write (appended to when resuming).") Path output;
  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per step (default ${DEFAULT-VALUE}).") int batchSize;
  @Mixin JudgeFlags judgeFlags;

  @Override public Integer call() throws Exception {
    Constitution c = constitution(constitution);
    return LabelCommand.label("cai label", pairFlags, judgeFlags, output, batchSize, s -> RlCai.underRandomPrinciples(s, c, pairFlags.seed()));
  }

  /** The file's constitution, or the built-in one; a malformed file is a one-line error naming the field. */
  static Constitution constitution(Path file) {
    if (file == null) return Constitution.defaults();
    if (!Files.isRegularFile(file)) throw new UserError("constitution file " + file + " does not exist");
    try {
      return Constitution.load(file);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}

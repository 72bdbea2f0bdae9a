package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.aifeedback.cai.Constitution;
import org.rlhf4j.aifeedback.cai.RlCai;
import org.rlhf4j.aifeedback.judge.JudgeException;
import org.rlhf4j.aifeedback.label.LabelReport;
import org.rlhf4j.aifeedback.label.Labeller;
import org.rlhf4j.aifeedback.label.PairSource;
import org.rlhf4j.aifeedback.label.PolicyPairs;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
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
  @ArgGroup(exclusive = true, multiplicity = "1") LabelInput input;
  @Option(names = "--policy", description = "With --prompts: the policy (e.g. the SL-CAI model) that samples two responses per prompt.") Path policy;
  @Option(names = "--constitution", description = "Constitution file with preference_question principles (default: the built-in one).") Path constitution;
  @Option(names = "--output", required = true, description = "Preference file to write (appended to when resuming).") Path output;
  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per step (default ${DEFAULT-VALUE}).") int batchSize;
  @Option(names = "--max-new-tokens", defaultValue = "64", description = "With --policy: response length (default ${DEFAULT-VALUE}).") int maxNewTokens;
  @Option(names = "--temperature", defaultValue = "1.0", description = "With --policy: sampling temperature (default ${DEFAULT-VALUE}).") double temperature;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the principle draws and of sampling (default ${DEFAULT-VALUE}).") long seed;
  @Mixin JudgeFlags judgeFlags;

  static final class LabelInput {
    @Option(names = "--pairs", required = true, description = "Pairs to label: {prompt, response_a, response_b}, or preferences (then the reference).") Path pairs;
    @Option(names = "--prompts", required = true, description = "Prompts (records with a \"prompt\"); needs --policy.") Path prompts;
  }

  @Override public Integer call() throws Exception {
    Labeller.Options opts = LabelCommand.options(batchSize, judgeFlags);
    Constitution c = constitution(constitution);
    Tokenizer policyTok = null;
    try {
      PairSource source;
      if (input.pairs != null) {
        source = LabelCommand.pairs(input.pairs);
      } else {
        if (policy == null) throw new UserError("--prompts needs --policy (the model that samples the pairs)");
        policyTok = Settings.tokenizer(policy);
        source = new PolicyPairs(Settings.model(policy).requiresGrad(false), policyTok, DataFiles.readPrompts(LabelCommand.existing(input.prompts)),
            new PolicyPairs.Sampling(maxNewTokens, temperature, 1.0, seed));
      }
      source = RlCai.underRandomPrinciples(source, c, seed);
      LabelReport r = Labeller.run(judgeFlags.build(), source, output, opts, new ConsoleProgress(System.err));
      Path report = LabelCommand.writeReport(output, r.toJson());
      System.out.println(LabelCommand.summary("cai label", r) + "; report " + report);
      return 0;
    } catch (JudgeException | IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    } finally {
      judgeFlags.close();
      if (policyTok != null) policyTok.close();
    }
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

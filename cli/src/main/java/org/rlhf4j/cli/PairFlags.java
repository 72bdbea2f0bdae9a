package org.rlhf4j.cli;

import java.nio.file.Path;
import org.rlhf4j.aifeedback.label.PairSource;
import org.rlhf4j.aifeedback.label.PolicyPairs;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.data.format.DataFormatException;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What a labelling command labels (picocli mixin of label and cai label): a pair file, or prompts a policy answers twice. */
public final class PairFlags {
  @ArgGroup(exclusive = true, multiplicity = "1") Input input;
  @Option(names = "--policy", description = "With --prompts: the policy folder that samples two responses per prompt.") Path policy;
  @Option(names = "--max-new-tokens", defaultValue = "64", description = "With --policy: response length (default ${DEFAULT-VALUE}).") int maxNewTokens;
  @Option(names = "--temperature", defaultValue = "1.0", description = "With --policy: sampling temperature (default ${DEFAULT-VALUE}).") double temperature;
  @Option(names = "--top-p", defaultValue = "1.0", description = "With --policy: nucleus (default ${DEFAULT-VALUE}).") double topP;
  @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (and cai label's principle draws) (default ${DEFAULT-VALUE}).") long seed;

  static final class Input {
    @Option(names = "--pairs", required = true, description = "Pairs (JSONL/JSON): unlabelled {prompt, response_a, response_b}, or a "
        + "preference file whose labels become the reference the judge's agreement is measured against.") Path pairs;
    @Option(names = "--prompts", required = true, description = "Prompts (records with a \"prompt\"); needs --policy.") Path prompts;
  }

  private Tokenizer policyTok;

  /** The pairs to label; a policy's tokenizer stays open until {@link #close}. */
  PairSource source() {
    if (input.pairs != null) return pairs(input.pairs);
    if (policy == null) throw new UserError("--prompts needs --policy (the model that samples the pairs)");
    var prompts = DataFiles.readPrompts(existing(input.prompts));
    policyTok = Settings.tokenizer(policy);
    return new PolicyPairs(Settings.model(policy).requiresGrad(false), policyTok, prompts,
        new PolicyPairs.Sampling(maxNewTokens, temperature, topP, seed));
  }

  long seed() { return seed; }

  void close() { if (policyTok != null) policyTok.close(); }

  /** Unlabelled pairs, or a preference file (its labels become the reference). */
  static PairSource pairs(Path file) {
    existing(file);
    try {
      return PairSource.unlabelled(DataFiles.readResponsePairs(file));
    } catch (DataFormatException unlabelled) {
      try {
        return PairSource.labelled(DataFiles.readPreferences(file));
      } catch (DataFormatException labelled) {
        throw new UserError(file + ": neither unlabelled pairs {prompt, response_a, response_b} nor preferences: " + labelled.getMessage());
      }
    }
  }

  static Path existing(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) throw new UserError("input file " + file + " does not exist");
    return file;
  }
}

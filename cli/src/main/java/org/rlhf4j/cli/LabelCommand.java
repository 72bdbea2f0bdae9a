package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.aifeedback.judge.Judge;
import org.rlhf4j.aifeedback.judge.JudgeException;
import org.rlhf4j.aifeedback.label.LabelReport;
import org.rlhf4j.aifeedback.label.Labeller;
import org.rlhf4j.aifeedback.label.PairSource;
import org.rlhf4j.aifeedback.label.PolicyPairs;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.data.format.DataFormatException;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j label}: RLAIF, AI preference labels for unlabelled pairs or for pairs a policy samples. */
@Command(name = "label", mixinStandardHelpOptions = true,
    description = {"RLAIF: an AI judge labels response pairs, each asked in both orders (position-bias correction).",
        "Input: --pairs (unlabelled {prompt, response_a, response_b}, or a preference file whose labels become the reference "
            + "the judge's agreement is measured against), or --prompts with a --policy that samples two responses per prompt.",
        "Output: a preference file for `rlhf4j reward` / `rlhf4j dpo` (chosen = the judge's pick, chosen_probability = its "
            + "probability), resumable (rows already there are skipped), and OUTPUT.report.json (position bias, agreement)."})
public final class LabelCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1") Input input;
  @Option(names = "--policy", description = "With --prompts: the policy folder that samples two responses per prompt.") Path policy;
  @Option(names = "--output", required = true, description = "Preference file to write (JSON Lines; appended to when resuming).") Path output;
  @Option(names = "--criterion", description = "What the judge is asked to prefer (default: the template's own question).") String criterion;
  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per step (default ${DEFAULT-VALUE}).") int batchSize;
  @Option(names = "--max-new-tokens", defaultValue = "64", description = "With --policy: response length (default ${DEFAULT-VALUE}).") int maxNewTokens;
  @Option(names = "--temperature", defaultValue = "1.0", description = "With --policy: sampling temperature (default ${DEFAULT-VALUE}).") double temperature;
  @Option(names = "--top-p", defaultValue = "1.0", description = "With --policy: nucleus (default ${DEFAULT-VALUE}).") double topP;
  @Option(names = "--seed", defaultValue = "1", description = "With --policy: sampling seed (default ${DEFAULT-VALUE}).") long seed;
  @Mixin JudgeFlags judgeFlags;

  static final class Input {
    @Option(names = "--pairs", required = true, description = "Pairs to label (JSONL/JSON).") Path pairs;
    @Option(names = "--prompts", required = true, description = "Prompts (JSONL/JSON records with a \"prompt\"); needs --policy.") Path prompts;
  }

  @Override public Integer call() throws IOException {
    Labeller.Options opts = options(batchSize, judgeFlags);
    Tokenizer policyTok = null;
    try {
      PairSource source;
      if (input.pairs != null) {
        source = pairs(input.pairs);
      } else {
        if (policy == null) throw new UserError("--prompts needs --policy (the model that samples the pairs)");
        List<Content> prompts = DataFiles.readPrompts(existing(input.prompts));
        policyTok = Settings.tokenizer(policy);
        source = new PolicyPairs(Settings.model(policy).requiresGrad(false), policyTok, prompts,
            new PolicyPairs.Sampling(maxNewTokens, temperature, topP, seed));
      }
      if (criterion != null) source = source.map(i -> i.under(null, criterion));
      Judge judge = judgeFlags.build();
      LabelReport r = Labeller.run(judge, source, output, opts, new ConsoleProgress(System.err));
      Path report = writeReport(output, r.toJson());
      System.out.println(summary("label", r) + "; report " + report);
      return 0;
    } catch (JudgeException | IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    } finally {
      judgeFlags.close();
      if (policyTok != null) policyTok.close();
    }
  }

  static Labeller.Options options(int batchSize, JudgeFlags j) {
    if (batchSize < 1) throw new UserError("--batch-size must be >= 1, got " + batchSize);
    return new Labeller.Options(batchSize, j.averaging());
  }

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
    if (!Files.isRegularFile(file)) throw new UserError("input file " + file + " does not exist");
    return file;
  }

  /** OUTPUT.report.json beside the output (labels.jsonl -> labels.report.json). */
  static Path writeReport(Path output, ObjectNode json) throws IOException {
    String name = output.getFileName().toString().replaceFirst("\\.jsonl?$", "");
    Path file = output.resolveSibling(name + ".report.json");
    Path tmp = output.resolveSibling(name + ".report.json.tmp");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), json);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  static String summary(String command, LabelReport r) {
    String agreement = r.agreement().n() == 0 ? "no reference labels"
        : String.format(Locale.ROOT, "agreement with the reference %.3f (Cohen's kappa %.3f, %d pairs)", r.agreement().raw(),
            r.agreement().cohenKappa(), r.agreement().n());
    return String.format(Locale.ROOT, "%s: %d pairs labelled (%d new) by %s; position bias %+.3f (flip rate %.3f); %s", command,
        r.rows(), r.added(), r.judge(), r.positionBias().meanShift(), r.positionBias().flipRate(), agreement);
  }
}

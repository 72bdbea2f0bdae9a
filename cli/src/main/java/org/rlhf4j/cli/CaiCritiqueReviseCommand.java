package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.aifeedback.cai.Constitution;
import org.rlhf4j.aifeedback.cai.CritiqueReviser;
import org.rlhf4j.aifeedback.cai.SlCai;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j cai critique-revise}: SL-CAI's data, critiques and revisions under randomly drawn principles. */
@Command(name = "critique-revise", mixinStandardHelpOptions = true,
    description = {"SL-CAI: the model answers each (red-team) prompt, critiques its answer under a randomly drawn principle, "
        + "revises it, --rounds times. Writes {prompt, completion = final revision} per line for `rlhf4j sft`, with the history "
        + "under \"cai\"; resumable (prompts already in --output are skipped)."})
public final class CaiCritiqueReviseCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "The model that answers, critiques and revises (Hugging Face folder).") Path model;
  @ArgGroup(exclusive = true, multiplicity = "1") Input input;
  @Option(names = "--constitution", description = "Constitution file (default: the built-in one).") Path constitution;
  @Option(names = "--output", required = true, description = "SFT file to write (JSON Lines; appended to when resuming).") Path output;
  @Option(names = "--rounds", defaultValue = "1", description = "Critique-revision rounds (default ${DEFAULT-VALUE}).") int rounds;
  @Option(names = "--max-new-tokens", defaultValue = "128", description = "Tokens per response, critique or revision (default ${DEFAULT-VALUE}).") int maxNewTokens;
  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default), else sampling temperature.") double temperature;
  @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus when sampling (default ${DEFAULT-VALUE}).") double topP;
  @Option(names = "--batch-size", defaultValue = "16", description = "Prompts per step (default ${DEFAULT-VALUE}).") int batchSize;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the principle draws and sampling (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--revise-when", description = "Revise only answers whose critique matches this regular expression (e.g. '^yes'); "
      + "others keep their answer (default: revise every answer, as in the paper).") String reviseWhen;

  static final class Input {
    @Option(names = "--prompts", required = true, description = "Prompts (records with a \"prompt\"): the model writes the first responses.") Path prompts;
    @Option(names = "--responses", required = true, description = "{prompt, completion} records: the completions are the responses to critique.") Path responses;
  }

  @Override public Integer call() {
    Constitution c = CaiLabelCommand.constitution(constitution);
    List<Content> prompts;
    List<String> initial = null;
    if (input.prompts != null) {
      prompts = DataFiles.readPrompts(PairFlags.existing(input.prompts));
    } else {
      List<PromptCompletion> rows = DataFiles.readPromptCompletions(PairFlags.existing(input.responses));
      prompts = rows.stream().map(PromptCompletion::prompt).toList();
      initial = rows.stream().map(r -> Comparison.responseText(r.completion())).toList();
    }
    try (Tokenizer tok = Settings.tokenizer(model)) {
      java.util.function.Predicate<String> revise = critique -> true;
      if (reviseWhen != null) {
        try {
          revise = java.util.regex.Pattern.compile(reviseWhen).asPredicate();
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new UserError("--revise-when is not a regular expression: " + e.getDescription() + " in '" + reviseWhen + "'");
        }
      }
      CritiqueReviser reviser = new CritiqueReviser(Settings.model(model).requiresGrad(false), tok, c,
          new CritiqueReviser.Options(rounds, maxNewTokens, temperature, topP, batchSize, seed), revise);
      SlCai.Summary s = SlCai.run(reviser, prompts, initial, output, batchSize);
      System.out.printf("cai critique-revise: %d prompts (%d new), %d revised away from the first response; SFT data in %s%n",
          s.rows(), s.added(), s.changed(), output);
      return 0;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}

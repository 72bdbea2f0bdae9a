package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.rlhf4j.aifeedback.judge.JudgeException;
import org.rlhf4j.aifeedback.label.LabelReport;
import org.rlhf4j.aifeedback.label.Labeller;
import org.rlhf4j.aifeedback.label.PairSource;
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
  @Mixin PairFlags pairFlags;
  @Option(names = "--output", required = true, description = "Preference file to write (JSON Lines; appended to when resuming).") Path output;
  @Option(names = "--criterion", description = "What the judge is asked to prefer (default: the template's own question).") String criterion;
  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per step (default ${DEFAULT-VALUE}).") int batchSize;
  @Mixin JudgeFlags judgeFlags;

  @Override public Integer call() throws IOException {
    return label("label", pairFlags, judgeFlags, output, batchSize, s -> criterion == null ? s : s.map(i -> i.under(null, criterion)));
  }

  /** The shared body of label and cai label: pairs, judge, labelling, report. */
  static int label(String command, PairFlags pairs, JudgeFlags judge, Path output, int batchSize, UnaryOperator<PairSource> criteria)
      throws IOException {
    if (batchSize < 1) throw new UserError("--batch-size must be >= 1, got " + batchSize);
    Labeller.Options opts = new Labeller.Options(batchSize, judge.averaging());
    try {
      PairSource source = criteria.apply(pairs.source());
      LabelReport r = Labeller.run(judge.build(), source, output, opts);
      Path report = writeReport(output, r.toJson());
      System.out.println(summary(command, r) + "; report " + report);
      return 0;
    } catch (JudgeException | IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    } finally {
      judge.close();
      pairs.close();
    }
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

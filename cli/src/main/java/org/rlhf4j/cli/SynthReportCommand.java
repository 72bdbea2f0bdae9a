package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.synth.quality.QualityReport;
import org.rlhf4j.synth.table.CsvReader;
import org.rlhf4j.synth.table.SchemaFile;
import org.rlhf4j.synth.table.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rlhf4j synth report REAL SYNTH}: fidelity, utility and privacy of a synthetic table (HTML + JSON). */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Quality report of a synthetic table against the real one it imitates: fidelity in SDMetrics' terms "
        + "(KS / TV complements per column, correlation and contingency similarity per pair, overall score); with --holdout, "
        + "privacy (exact copies, distance to closest record against the hold-out's, a membership-inference AUC); with "
        + "--holdout and --target, utility (logistic regression and XGBoost trained on synthetic vs on real, tested on the "
        + "hold-out: accuracy, F1, AUC).", "Writes OUTPUT/report.html (with PNG charts) and OUTPUT/quality.json."})
public final class SynthReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REAL", description = "The real (training) table.") Path real;
  @Parameters(index = "1", paramLabel = "SYNTH", description = "The synthetic table (e.g. from rlhf4j synth sample).") Path synth;
  @Option(names = "--schema", description = "YAML schema overrides for REAL (also used to read SYNTH and --holdout).") Path schema;
  @Option(names = "--holdout", description = "Real rows not used for training (utility test set, privacy baseline).") Path holdout;
  @Option(names = "--target", description = "Categorical column the utility classifiers predict.") String target;
  @Option(names = "--output", defaultValue = "synth-report", description = "Output folder (default synth-report).") Path output;
  @Option(names = "--privacy-rows", defaultValue = "2000", description = "Rows sampled per side for the distance searches (default 2000).") int privacyRows;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;

  @Override public Integer call() throws Exception {
    if (target != null && holdout == null) throw new UserError("--target needs --holdout (the real rows the classifiers are tested on)");
    if (privacyRows < 10) throw new UserError("--privacy-rows must be >= 10, got " + privacyRows);
    Table r = SynthSampleCommand.read(real, schema);
    SchemaFile layout = schema == null ? SchemaFile.none() : SchemaFile.read(schema);
    Table s, h;
    QualityReport q;
    try {
      s = CsvReader.read(synth, layout, r.schema());
      h = holdout == null ? null : CsvReader.read(holdout, layout, r.schema());
      q = QualityReport.of(r, s, h, target, privacyRows, seed);
    } catch (IllegalArgumentException e) { // bad tables or --target: one line
      throw new UserError(e.getMessage());
    }
    Path html = q.write(output, r, s);
    StringBuilder line = new StringBuilder("synth report:");
    q.headline().forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s=%.4f", k, (Double) v)));
    System.out.println(line);
    System.out.println("synth report: " + html);
    return 0;
  }
}

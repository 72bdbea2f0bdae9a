package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rlhf4j report RUN}: the HTML/PNG report of any run folder's metrics.jsonl, with the run doctor's flags. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes RUN/report.html (and its chart PNGs) from RUN/metrics.jsonl: loss, reward, accuracy, KL and "
        + "entropy, response length and learning-rate curves (our or TRL's metric names), the run doctor's flags and the "
        + "last logged line. Every training command writes it when it ends; this writes it for any run, finished or not."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN", description = "A run folder holding metrics.jsonl.") Path run;

  @Override public Integer call() {
    Path dir = Files.isRegularFile(run) ? run.toAbsolutePath().getParent() : run;
    if (!Files.isRegularFile(dir.resolve("metrics.jsonl"))) throw new UserError("run folder " + run + " has no metrics.jsonl");
    System.out.println("report: " + RunOutput.report(dir));
    return 0;
  }
}

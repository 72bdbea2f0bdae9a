package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rlhf4j synth report REAL SYNTH}: fidelity, utility and privacy of a synthetic table (HTML + JSON). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Quality report of a synthetic table against the real one.")
public final class SynthReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REAL") Path real;
  @Parameters(index = "1", paramLabel = "SYNTH") Path synth;

  @Override public Integer call() {
    throw new UserError("synth report is not built yet");
  }
}

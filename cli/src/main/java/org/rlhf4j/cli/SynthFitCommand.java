package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.synth.copula.GaussianCopula;
import org.rlhf4j.synth.ctgan.CtganConfig;
import org.rlhf4j.synth.ctgan.CtganTrainer;
import org.rlhf4j.synth.table.CsvReader;
import org.rlhf4j.synth.table.SchemaFile;
import org.rlhf4j.synth.table.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rlhf4j synth fit CSV --output DIR}: trains CTGAN (or fits the Gaussian copula) on a table. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = {"Fit a synthesizer on a CSV table. The schema (numeric / integer / categorical, min/max) is inferred and "
        + "can be overridden with --schema (YAML). CTGAN checkpoints into OUTPUT as it trains (metrics.jsonl: generator "
        + "and discriminator losses per epoch); --resume continues an interrupted run."})
public final class SynthFitCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CSV", description = "Training table.") Path csv;
  @Option(names = "--output", required = true, description = "Output folder (synthesizer.json, weights, checkpoints, metrics.jsonl).") Path output;
  @Option(names = "--schema", description = "YAML schema overrides (types, integer, min/max, header, comment, missing tokens).") Path schema;
  @Option(names = "--synthesizer", defaultValue = "ctgan", description = "ctgan (default) or copula.") String kind;
  @Option(names = "--epochs", description = "CTGAN epochs (default 300).") Integer epochs;
  @Option(names = "--batch-size", description = "CTGAN batch size (default 500, a multiple of --pac).") Integer batch;
  @Option(names = "--pac", description = "PacGAN pack size (default 10).") Integer pac;
  @Option(names = "--checkpoint-every", description = "Epochs between checkpoints (default 10).") Integer checkpointEvery;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;
  @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto.") String device;
  @Option(names = "--resume", description = "Continue the run already in --output.") boolean resume;

  @Override public Integer call() throws Exception {
    Table train = SynthSampleCommand.read(csv, schema);
    if (kind.equals("copula")) {
      GaussianCopula.fit(train, seed).save(output);
      System.out.println("synth fit: Gaussian copula on " + train.rows() + " rows -> " + output);
      return 0;
    }
    if (!kind.equals("ctgan")) throw new UserError("--synthesizer must be ctgan or copula, got '" + kind + "'");
    if (!resume && Files.isDirectory(output.resolve("checkpoints"))) {
      throw new UserError(output + " already holds a CTGAN run: pass --resume to continue it, or choose a new --output");
    }
    CtganConfig cfg = config();
    long t0 = System.nanoTime();
    try { // progress (a bar on a terminal, a line every 10 epochs otherwise) comes through the installed Reporter
      new CtganTrainer(cfg, Device.parse(device)).fit(train, output, CtganTrainer.Listener.NONE);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    System.out.printf(Locale.ROOT, "synth fit: CTGAN on %d rows, %d epochs in %s -> %s%n", train.rows(), cfg.epochs(),
        format(Duration.ofNanos(System.nanoTime() - t0)), output);
    return 0;
  }

  private CtganConfig config() {
    try {
      CtganConfig c = CtganConfig.defaults().withSeed(seed);
      if (epochs != null) c = c.withEpochs(epochs);
      if (batch != null || pac != null) c = c.withBatch(batch != null ? batch : c.batchSize(), pac != null ? pac : c.pac());
      if (checkpointEvery != null) c = c.withCheckpointEvery(checkpointEvery);
      return c;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}

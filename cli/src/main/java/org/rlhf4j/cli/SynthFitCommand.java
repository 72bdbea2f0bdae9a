package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.synth.copula.GaussianCopula;
import org.rlhf4j.synth.ctgan.CheckpointSelection;
import org.rlhf4j.synth.ctgan.CtganConfig;
import org.rlhf4j.synth.ctgan.CtganTrainer;
import org.rlhf4j.synth.ctgan.Snapshots;
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
  @Option(names = "--snapshot-every", description = "CTGAN: keep a complete model folder every N epochs in "
      + "OUTPUT/snapshots/epoch-N (about 1.2 MB each on Adult), for synth sample --top or a list of --model folders.") Integer snapshotEvery;
  @Option(names = "--generator-ema", paramLabel = "DECAY", description = "CTGAN: keep a Polyak (exponential moving) average of "
      + "the generator's weights, average = DECAY * average + (1 - DECAY) * live after every generator step (e.g. 0.999); "
      + "the average is what is selected, snapshotted, saved and sampled, and it is checkpointed (default: off; on Adult it raised fidelity and lowered TSTR F1: synth/README.md).") Double generatorEma;
  @Option(names = "--select-target", paramLabel = "COLUMN", description = "CTGAN checkpoint selection: hold out "
      + "--validation-fraction of the CSV's rows, and every --select-every epochs train XGBoost on synthetic rows to predict "
      + "COLUMN, test it on the held-out rows, and keep the best generator in OUTPUT/best (log: OUTPUT/selection.jsonl).") String selectTarget;
  @Option(names = "--validation-fraction", description = "Share of the CSV's rows held out for --select-target (never trained on; "
      + "default 0.2).") Double validationFraction;
  @Option(names = "--select-every", description = "Epochs between selection evaluations (default: --checkpoint-every).") Integer selectEvery;
  @Option(names = "--select-by", defaultValue = "f1", description = "f1 (default) or auc: the validation score maximised.") String selectBy;
  @Option(names = "--select-conditions", defaultValue = "frequency", description = "How the evaluation's rows are drawn, as "
      + "synth sample --conditions: frequency (default), training or column:NAME.") String selectConditions;

  @Override public Integer call() throws Exception {
    Table train = SynthSampleCommand.read(csv, schema);
    if (kind.equals("copula") && (selectTarget != null || snapshotEvery != null || generatorEma != null)) {
      throw new UserError("--select-target, --snapshot-every and --generator-ema apply to CTGAN only");
    }
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
    CheckpointSelection selection = selection(train, cfg);
    Table fit = selection == null ? train : selection.split().fit();
    long t0 = System.nanoTime();
    try { // progress (a bar on a terminal, a line every 10 epochs otherwise) comes through the installed Reporter
      CtganTrainer.Listener listener = selection == null ? CtganTrainer.Listener.NONE : selection;
      if (snapshotEvery != null) listener = listener.then(Snapshots.listener(output, snapshotEvery));
      new CtganTrainer(cfg, Device.parse(device)).fit(fit, output, listener);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    System.out.printf(Locale.ROOT, "synth fit: CTGAN on %d rows, %d epochs in %s -> %s%n", fit.rows(), cfg.epochs(),
        format(Duration.ofNanos(System.nanoTime() - t0)), output);
    if (selection != null) {
      var best = selection.best();
      System.out.printf(Locale.ROOT, "synth fit: selected epoch %d (validation %s %.4f on %d held-out rows) -> %s%n",
          best.path("epoch").asInt(), selectBy, best.path("score").asDouble(), selection.split().validation().rows(),
          output.resolve(CheckpointSelection.BEST));
    }
    return 0;
  }

  /** The checkpoint selection --select-target asks for, or null; its flags without it are an error. */
  private CheckpointSelection selection(Table train, CtganConfig cfg) throws java.io.IOException {
    if (selectTarget == null) {
      if (validationFraction != null || selectEvery != null) throw new UserError("--validation-fraction and --select-every need --select-target");
      return null;
    }
    if (!selectBy.equals("f1") && !selectBy.equals("auc")) throw new UserError("--select-by must be f1 or auc, got '" + selectBy + "'");
    try {
      train.schema().indexOf(selectTarget);
      var split = CheckpointSelection.Split.of(train, validationFraction == null ? 0.2 : validationFraction, seed);
      var sc = new CheckpointSelection.Config(selectTarget, selectEvery == null ? cfg.checkpointEvery() : selectEvery,
          CheckpointSelection.Score.valueOf(selectBy.toUpperCase(Locale.ROOT)), "xgboost", SynthSampleCommand.conditions(selectConditions), seed);
      Files.createDirectories(output);
      return new CheckpointSelection(sc, split, output);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private CtganConfig config() {
    try {
      CtganConfig c = CtganConfig.defaults().withSeed(seed);
      if (epochs != null) c = c.withEpochs(epochs);
      if (batch != null || pac != null) c = c.withBatch(batch != null ? batch : c.batchSize(), pac != null ? pac : c.pac());
      if (checkpointEvery != null) c = c.withCheckpointEvery(checkpointEvery);
      if (generatorEma != null) {
        if (!(generatorEma > 0 && generatorEma < 1)) throw new UserError("--generator-ema must be a decay in (0, 1) such as 0.999, got " + generatorEma);
        c = c.withGeneratorEma(generatorEma);
      }
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

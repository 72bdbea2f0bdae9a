package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.synth.Synthesizer;
import org.rlhf4j.synth.Synthesizers;
import org.rlhf4j.synth.ctgan.Ctgan;
import org.rlhf4j.synth.ctgan.Snapshots;
import org.rlhf4j.synth.table.CsvReader;
import org.rlhf4j.synth.table.CsvWriter;
import org.rlhf4j.synth.table.SchemaFile;
import org.rlhf4j.synth.table.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j synth sample --model DIR --rows N --output FILE}: synthetic rows as CSV. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Draw synthetic rows from a fitted synthesizer folder and write them as CSV (with a header line; missing numbers as ?).")
public final class SynthSampleCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Folder written by rlhf4j synth fit; repeat it to draw the rows in "
      + "equal parts from several CTGAN models of one run (e.g. its snapshots/epoch-N folders).") List<Path> models;
  @Option(names = "--top", description = "CTGAN: draw the rows in equal parts from the K snapshots with the best checkpoint-selection "
      + "scores of the run in --model (fitted with --select-target and --snapshot-every).") Integer top;
  @Option(names = "--rows", required = true, description = "Rows to draw.") int rows;
  @Option(names = "--output", required = true, description = "CSV file to write.") Path output;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;
  @Option(names = "--conditions", defaultValue = "frequency",
      description = "CTGAN: how each row's condition is drawn: frequency (default: column uniform, category by its training "
          + "frequency), training (by log(1 + count), as the reference CTGAN samples) or column:NAME (every row conditioned on "
          + "the discrete column NAME, its categories in exactly their training proportions, e.g. column:income).") String conditions;
  @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto.") String device;

  @Override public Integer call() throws Exception {
    if (rows < 1) throw new UserError("--rows must be >= 1, got " + rows);
    Ctgan.Conditions how = conditions(conditions);
    Table t;
    String kind;
    try {
      List<Synthesizer> all = new ArrayList<>();
      for (Path m : members()) all.add(Synthesizers.load(m, Device.parse(device)));
      kind = all.size() == 1 ? all.get(0).kind() : all.size() + " " + all.get(0).kind() + " models";
      if (all.size() == 1 && !(all.get(0) instanceof Ctgan)) {
        if (!how.equals(Ctgan.Conditions.FREQUENCY)) throw new UserError("--conditions applies to CTGAN only");
        t = all.get(0).sample(rows, seed);
      } else {
        List<Ctgan> ctgans = new ArrayList<>();
        for (Synthesizer s : all) {
          if (!(s instanceof Ctgan c)) throw new UserError("several --model folders (or --top) mix CTGAN models only");
          ctgans.add(c);
        }
        t = ctgans.size() == 1 ? ctgans.get(0).sample(rows, seed, how) : Snapshots.sample(ctgans, rows, seed, how);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (output.getParent() != null) Files.createDirectories(output.getParent());
    CsvWriter.write(t, output, "?");
    System.out.println("synth sample: " + rows + " rows from " + kind + " -> " + output);
    return 0;
  }

  /** The model folders to draw from: the --model folders, or the --top snapshots of the one run given. */
  private List<Path> members() throws java.io.IOException {
    if (top == null) return models;
    if (models.size() != 1) throw new UserError("--top needs exactly one --model (the run folder), got " + models.size());
    return Snapshots.top(models.get(0), top);
  }

  /** {@code --conditions} as CTGAN's sampling conditions; a bad value is a one-line error. */
  static Ctgan.Conditions conditions(String value) {
    try {
      return Ctgan.Conditions.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UserError("--conditions: " + e.getMessage());
    }
  }

  /** A CSV read with an optional schema file, bad input as a one-line error. */
  static Table read(Path csv, Path schema) {
    if (!Files.isRegularFile(csv)) throw new UserError("CSV file " + csv + " does not exist");
    if (schema != null && !Files.isRegularFile(schema)) throw new UserError("schema file " + schema + " does not exist");
    try {
      return CsvReader.read(csv, schema == null ? SchemaFile.none() : SchemaFile.read(schema));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}

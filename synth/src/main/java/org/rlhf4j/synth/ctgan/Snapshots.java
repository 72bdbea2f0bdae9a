package org.rlhf4j.synth.ctgan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.table.Table;

/**
 * Generators kept along a run, and samples mixed from several of them. A WGAN's generator oscillates from epoch to
 * epoch (on Adult the synthetic label share moves between 0.16 and 0.37 from one checkpoint to the next), so rows drawn
 * in equal parts from several checkpoints average the swings out. {@link #listener} writes {@code OUT/snapshots/epoch-<e>/}
 * (a complete model folder) every {@code every} epochs; {@link #top} names the {@code k} snapshots with the best
 * checkpoint-selection scores; {@link #sample} draws from a list of models in equal parts.
 */
public final class Snapshots {
  public static final String DIR = "snapshots";

  private Snapshots() {}

  /** Saves the live model into {@code out/snapshots/epoch-<e>/} every {@code every} epochs and at the last. */
  public static CtganTrainer.Listener listener(Path out, int every) {
    if (every < 1) throw new IllegalArgumentException("snapshot every must be >= 1 epoch, got " + every);
    return (epoch, epochs, metrics, model) -> {
      if (epoch % every != 0 && epoch != epochs) return;
      Path target = out.resolve(DIR).resolve("epoch-" + epoch), tmp = out.resolve(DIR).resolve(".epoch-" + epoch + ".tmp");
      FileOps.deleteTree(tmp);
      model.save(tmp);
      FileOps.deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    };
  }

  /**
   * The snapshot folders of the {@code k} best-scored epochs in {@code run}'s {@code selection.jsonl}, best first (ties:
   * the earlier epoch); an epoch without a snapshot is an error naming it.
   */
  public static List<Path> top(Path run, int k) throws IOException {
    if (k < 1) throw new IllegalArgumentException("top must be >= 1, got " + k);
    Path log = run.resolve(CheckpointSelection.LOG);
    if (!Files.isRegularFile(log)) throw new IllegalArgumentException(run + " has no " + CheckpointSelection.LOG + " (fit it with --select-target)");
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) if (!l.isBlank()) lines.add(SynthJson.MAPPER.readTree(l));
    lines.sort(Comparator.comparingDouble((JsonNode l) -> -l.path("score").asDouble()).thenComparingInt(l -> l.path("epoch").asInt()));
    if (lines.size() < k) throw new IllegalArgumentException(run + ": top " + k + " asked, " + lines.size() + " epochs were scored");
    List<Path> out = new ArrayList<>();
    for (JsonNode l : lines.subList(0, k)) {
      Path p = run.resolve(DIR).resolve("epoch-" + l.path("epoch").asInt());
      if (!Files.isRegularFile(p.resolve("synthesizer.json"))) {
        throw new IllegalArgumentException(run + ": epoch " + l.path("epoch").asInt() + " has no snapshot (fit with --snapshot-every)");
      }
      out.add(p);
    }
    return out;
  }

  /**
   * {@code rows} rows from {@code models} in equal parts (the first {@code rows % k} models draw one more), model
   * {@code i} with seed {@code seed + i}, one after another.
   */
  public static Table sample(List<Ctgan> models, int rows, long seed, Ctgan.Conditions conditions) {
    int k = models.size();
    if (k == 0) throw new IllegalArgumentException("no models to sample from");
    if (rows < k) throw new IllegalArgumentException("rows " + rows + " is fewer than the " + k + " models");
    List<Table> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) parts.add(models.get(i).sample(rows / k + (i < rows % k ? 1 : 0), seed + i, conditions));
    return Table.concat(parts);
  }
}

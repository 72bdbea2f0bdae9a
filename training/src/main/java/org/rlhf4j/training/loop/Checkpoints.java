package org.rlhf4j.training.loop;

import org.rlhf4j.common.FileOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Safetensors;

/**
 * The checkpoint directories of one run: {@code checkpoint-<step>/} holding the model (via
 * {@link CheckpointIO}), {@code optimizer.safetensors} and {@code trainer_state.json} (written
 * last: a directory without it is incomplete), and a {@code latest} pointer file.
 *
 * <p>Saving writes into {@code .checkpoint-<step>.tmp/} and renames it into place only when
 * complete, then moves the {@code latest} pointer, then prunes the oldest checkpoints. A
 * failure or crash at any point leaves the previous checkpoint and pointer untouched.
 */
final class Checkpoints {
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String LATEST = "latest";
  private static final String PREFIX = "checkpoint-";

  private final Path root;
  private final int keep;

  Checkpoints(Path root, int keep) {
    this.root = root;
    this.keep = keep;
  }

  /** Writes checkpoint {@code step} atomically and returns its directory. */
  Path save(int step, CheckpointIO model, Map<String, Tensor> optimizerState, TrainerState state) {
    Path tmp = root.resolve("." + PREFIX + step + ".tmp");
    Path dir = root.resolve(PREFIX + step);
    try {
      FileOps.deleteTree(tmp);
      Files.createDirectories(tmp);
      model.save(tmp);
      Safetensors.save(tmp.resolve(OPTIMIZER), optimizerState, Map.of("format", "rlhf4j-adamw"));
      state.write(tmp.resolve(TrainerState.FILE));
      replace(tmp, dir);
      writeLatest(dir);
      prune(dir);
      return dir;
    } catch (IOException | RuntimeException e) {
      try { FileOps.deleteTree(tmp); } catch (IOException ignored) { /* best effort */ }
      String previous = latest().map(Path::toString).orElse("none");
      throw new CheckpointException("saving checkpoint " + dir + " failed: " + e.getMessage()
          + " (previous checkpoint kept: " + previous + ")", e);
    }
  }

  /** The newest complete checkpoint: the {@code latest} pointer, else the highest complete step. */
  Optional<Path> latest() {
    Path pointer = root.resolve(LATEST);
    try {
      if (Files.isRegularFile(pointer)) {
        Path dir = root.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
        if (complete(dir)) return Optional.of(dir);
      }
      return all().stream().filter(Checkpoints::complete).reduce((a, b) -> b);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + root + ": " + e.getMessage(), e);
    }
  }

  /** Removes temporary directories left by a crash during a save. */
  void cleanStale() throws IOException {
    if (!Files.isDirectory(root)) return;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) FileOps.deleteTree(p);
    }
  }

  static boolean complete(Path dir) { return Files.isRegularFile(dir.resolve(TrainerState.FILE)); }

  static int stepOf(Path dir) {
    String n = dir.getFileName().toString();
    try {
      return n.startsWith(PREFIX) ? Integer.parseInt(n.substring(PREFIX.length())) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Checkpoint directories by ascending step. */
  private List<Path> all() throws IOException {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).filter(p -> stepOf(p) >= 0)
          .sorted(Comparator.comparingInt(Checkpoints::stepOf)).toList();
    }
  }

  /** Moves {@code tmp} to {@code dir}; an existing {@code dir} is set aside until the move succeeded. */
  private static void replace(Path tmp, Path dir) throws IOException {
    Path old = dir.resolveSibling(dir.getFileName() + ".old.tmp");
    boolean hadOld = Files.exists(dir);
    if (hadOld) {
      FileOps.deleteTree(old);
      FileOps.move(dir, old);
    }
    FileOps.move(tmp, dir);
    if (hadOld) FileOps.deleteTree(old);
  }

  private void writeLatest(Path dir) throws IOException {
    FileOps.writeString(root.resolve(LATEST), dir.getFileName().toString() + "\n");
  }

  private void prune(Path newest) throws IOException {
    List<Path> dirs = new ArrayList<>(all());
    dirs.remove(newest);
    int excess = dirs.size() - (keep - 1);
    for (int i = 0; i < excess; i++) FileOps.deleteTree(dirs.get(i));
  }
}

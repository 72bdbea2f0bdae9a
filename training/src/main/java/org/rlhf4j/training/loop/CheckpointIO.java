package org.rlhf4j.training.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/**
 * Writes the model into a checkpoint directory and reads it back on resume. For a model that
 * saves itself in Hugging Face layout use {@code CheckpointIO.of(model, model::save)};
 * {@link #safetensors} is the plain fallback. The {@link Trainer} calls {@code save} on a
 * temporary directory and renames it only when everything is written.
 */
public interface CheckpointIO {
  /** Writes the model's files into {@code dir} (which exists and is empty). */
  void save(Path dir) throws IOException;

  /** Loads the model's weights from {@code dir} into the live parameters. */
  void load(Path dir) throws IOException;

  /** Writes a model into a directory (e.g. {@code CausalLM::save}: config.json + model.safetensors). */
  @FunctionalInterface
  interface Saver {
    void save(Path dir) throws IOException;
  }

  /**
   * Saves with {@code saver}; loads by copying the directory's safetensors (single file or
   * sharded with an index) into {@code model.parameters()} by name, converting dtype and device.
   */
  static CheckpointIO of(HasParameters model, Saver saver) {
    return new CheckpointIO() {
      @Override public void save(Path dir) throws IOException { saver.save(dir); }

      @Override public void load(Path dir) { copyInto(model, dir); }
    };
  }

  /** Saves {@code model.parameters()} as {@code model.safetensors} and copies them back on load. */
  static CheckpointIO safetensors(HasParameters model) {
    return of(model, dir -> Safetensors.save(dir.resolve(Safetensors.SINGLE), model.parameters(), Map.of("format", "pt")));
  }

  /** Copies every parameter of {@code model} from the safetensors in {@code dir}; a missing one is an error. */
  static void copyInto(HasParameters model, Path dir) {
    copy(model, dir, () -> Safetensors.loadDir(dir));
  }

  /** As {@link #copyInto}, from one safetensors file (e.g. a head saved beside a Hugging Face backbone). */
  static void copyFromFile(HasParameters model, Path file) {
    copy(model, file, () -> Safetensors.load(file));
  }

  private static void copy(HasParameters model, Path source, Supplier<Map<String, Tensor>> load) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard(); // freed with the scope
      Map<String, Tensor> saved = load.get();
      model.parameters().forEach((name, p) -> {
        Tensor t = saved.get(name);
        if (t == null) throw new CheckpointException(source + ": no tensor '" + name + "' to restore");
        if (t.numel() != p.numel()) {
          throw new CheckpointException(source + ": tensor '" + name + "' has " + t.numel() + " elements, the model " + p.numel());
        }
        p.copy_(t);
      });
    }
  }
}

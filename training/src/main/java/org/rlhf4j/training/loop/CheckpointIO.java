package org.rlhf4j.training.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/**
 * Writes the model into a checkpoint directory and reads it back on resume. The model layer
 * supplies one that writes Hugging Face layout ({@code config.json} + {@code model.safetensors});
 * {@link #safetensors} is the plain fallback. The {@link Trainer} calls {@code save} on a
 * temporary directory and renames it only when everything is written.
 */
public interface CheckpointIO {
  /** Writes the model's files into {@code dir} (which exists and is empty). */
  void save(Path dir) throws IOException;

  /** Loads the model's weights from {@code dir} into the live parameters. */
  void load(Path dir) throws IOException;

  /** Saves {@code model.parameters()} as {@code model.safetensors} and copies them back on load. */
  static CheckpointIO safetensors(HasParameters model) {
    return new CheckpointIO() {
      @Override public void save(Path dir) {
        Safetensors.save(dir.resolve(Safetensors.SINGLE), model.parameters(), Map.of("format", "pt"));
      }

      @Override public void load(Path dir) {
        Path file = dir.resolve(Safetensors.SINGLE);
        try (NativeScope scope = NativeScope.open()) {
          new NoGradGuard(); // freed with the scope
          Map<String, Tensor> saved = Safetensors.load(file);
          model.parameters().forEach((name, p) -> {
            Tensor t = saved.get(name);
            if (t == null) throw new IllegalArgumentException(file + ": no tensor '" + name + "'");
            p.copy_(t);
          });
        }
      }
    };
  }
}

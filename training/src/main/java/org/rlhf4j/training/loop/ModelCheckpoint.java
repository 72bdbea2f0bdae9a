package org.rlhf4j.training.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/**
 * The one way a trained model is written and read back: a Hugging Face folder ({@code config.json} +
 * {@code model.safetensors}, loadable with {@link CausalLM#load} and transformers), the tokenizer files of
 * {@code tokenizerDir} when given, and any extra parts (a PPO value head, ...) in safetensors files of their own.
 * It writes every checkpoint and the final model of a run; resume copies the saved tensors back into the live
 * parameters ({@link CheckpointIO#copyInto}), by name, checking sizes.
 */
public final class ModelCheckpoint implements CheckpointIO {
  private record Part(String file, HasParameters params) {}

  private final HasParameters model;
  private final CheckpointIO.Saver saver;
  private final Path tokenizerDir;
  private final List<Part> parts;

  private ModelCheckpoint(HasParameters model, CheckpointIO.Saver saver, Path tokenizerDir, List<Part> parts) {
    this.model = model;
    this.saver = saver;
    this.tokenizerDir = tokenizerDir;
    this.parts = List.copyOf(parts);
  }

  /** A causal LM in Hugging Face layout. */
  public static ModelCheckpoint of(CausalLM model) {
    return new ModelCheckpoint(model, model::save, null, List.of());
  }

  /** Any model that writes its own Hugging Face folder ({@code saver}) and whose parameters load back by name. */
  public static ModelCheckpoint of(HasParameters model, CheckpointIO.Saver saver) {
    return new ModelCheckpoint(model, saver, null, List.of());
  }

  /** This checkpoint, also copying the tokenizer files found in {@code dir} (may be null). */
  public ModelCheckpoint withTokenizer(Path dir) { return new ModelCheckpoint(model, saver, dir, parts); }

  /** This checkpoint plus {@code params} in {@code file} beside the model (e.g. {@code value_head.safetensors}). */
  public ModelCheckpoint withPart(String file, HasParameters params) {
    List<Part> p = new ArrayList<>(parts);
    p.add(new Part(file, params));
    return new ModelCheckpoint(model, saver, tokenizerDir, p);
  }

  @Override public void save(Path dir) throws IOException {
    saver.save(dir);
    Tokenizer.copyFiles(tokenizerDir, dir);
    for (Part p : parts) Safetensors.save(dir.resolve(p.file()), p.params().parameters(), Map.of("format", "pt"));
  }

  @Override public void load(Path dir) {
    CheckpointIO.copyInto(model, dir);
    for (Part p : parts) CheckpointIO.copyFromFile(p.params(), dir.resolve(p.file()));
  }

  /** Writes the finished model into {@code dir} (the top of a run's output), naming the folder on failure. */
  public void saveFinal(Path dir) {
    try (NativeScope scope = NativeScope.open()) {
      save(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the final model to " + dir + ": " + e.getMessage(), e);
    }
  }
}

package org.rlhf4j.training.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.training.loop.CheckpointIO;

/**
 * Checkpoints of a causal LM in Hugging Face layout ({@code config.json} + {@code model.safetensors}),
 * plus the tokenizer files of {@code tokenizerDir} when given, so every checkpoint is a model
 * folder that {@code rlhf4j generate} and transformers load directly.
 */
public final class LmCheckpoint implements CheckpointIO {
  /** Tokenizer files copied next to the weights when present. */
  public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "generation_config.json", "chat_template.jinja", "chat_template.json");

  private final CausalLM model;
  private final Path tokenizerDir;

  /** @param tokenizerDir folder holding tokenizer.json etc., or null */
  public LmCheckpoint(CausalLM model, Path tokenizerDir) {
    this.model = model;
    this.tokenizerDir = tokenizerDir;
  }

  @Override public void save(Path dir) throws IOException {
    model.save(dir);
    copyTokenizer(tokenizerDir, dir);
  }

  @Override public void load(Path dir) {
    copyInto(model.parameters(), dir);
  }

  /** Copies the tokenizer files found in {@code from} (may be null) into {@code to}. */
  public static void copyTokenizer(Path from, Path to) throws IOException {
    if (from == null || from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) return;
    for (String f : TOKENIZER_FILES) {
      Path src = from.resolve(f);
      if (Files.isRegularFile(src)) Files.copy(src, to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Copies the tensors saved in {@code dir} into the live parameters of the same names. */
  public static void copyInto(Map<String, Tensor> params, Path dir) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard(); // freed with the scope
      Map<String, Tensor> saved = Safetensors.loadDir(dir);
      params.forEach((name, p) -> {
        Tensor t = saved.get(name);
        if (t == null) throw new IllegalArgumentException(dir + ": no tensor '" + name + "' to resume from");
        p.copy_(t);
      });
    }
  }
}

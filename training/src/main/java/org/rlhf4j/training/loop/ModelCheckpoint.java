package org.rlhf4j.training.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rlhf4j.common.FileOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.tokenizer.ChatTemplate;
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
  private final String weightsFile; // null: the Hugging Face model files (single or sharded)
  private final ModelCard card;

  private ModelCheckpoint(HasParameters model, CheckpointIO.Saver saver, Path tokenizerDir, List<Part> parts, String weightsFile,
      ModelCard card) {
    this.model = model;
    this.saver = saver;
    this.tokenizerDir = tokenizerDir;
    this.parts = List.copyOf(parts);
    this.weightsFile = weightsFile;
    this.card = card;
  }

  /**
   * A causal LM in Hugging Face layout; with LoRA adapters attached, only the adapters, in PEFT layout
   * ({@code adapter_config.json} + {@code adapter_model.safetensors}), which is what such a run trains.
   */
  public static ModelCheckpoint of(CausalLM model) {
    Optional<LoraModel> lora = model.adapters();
    if (lora.isPresent()) return new ModelCheckpoint(lora.get(), lora.get()::save, null, List.of(), LoraModel.WEIGHTS_FILE, null);
    return new ModelCheckpoint(model, model::save, null, List.of(), null, null);
  }

  /** Any model that writes its own Hugging Face folder ({@code saver}) and whose parameters load back by name. */
  public static ModelCheckpoint of(HasParameters model, CheckpointIO.Saver saver) {
    return new ModelCheckpoint(model, saver, null, List.of(), null, null);
  }

  /** As {@link #of(HasParameters, CheckpointIO.Saver)}, restoring from the single safetensors {@code file} the saver writes. */
  public static ModelCheckpoint of(HasParameters model, CheckpointIO.Saver saver, String file) {
    return new ModelCheckpoint(model, saver, null, List.of(), file, null);
  }

  /** This checkpoint, also copying the tokenizer files found in {@code dir} (may be null). */
  public ModelCheckpoint withTokenizer(Path dir) { return new ModelCheckpoint(model, saver, dir, parts, weightsFile, card); }

  /** This checkpoint, writing {@code card} ({@code README.md}) with the final model (may be null). */
  public ModelCheckpoint withCard(ModelCard card) { return new ModelCheckpoint(model, saver, tokenizerDir, parts, weightsFile, card); }

  /** This checkpoint plus {@code params} in {@code file} beside the model (e.g. {@code value_head.safetensors}). */
  public ModelCheckpoint withPart(String file, HasParameters params) {
    List<Part> p = new ArrayList<>(parts);
    p.add(new Part(file, params));
    return new ModelCheckpoint(model, saver, tokenizerDir, p, weightsFile, card);
  }

  @Override public void save(Path dir) throws IOException {
    saver.save(dir);
    Tokenizer.copyFiles(tokenizerDir, dir);
    for (Part p : parts) Safetensors.save(dir.resolve(p.file()), p.params().parameters(), Map.of("format", "pt"));
  }

  @Override public void load(Path dir) {
    if (weightsFile == null) CheckpointIO.copyInto(model, dir); else CheckpointIO.copyFromFile(model, dir.resolve(weightsFile));
    for (Part p : parts) CheckpointIO.copyFromFile(p.params(), dir.resolve(p.file()));
  }

  /**
   * Writes the finished model into {@code dir} (the top of a run's output): the checkpoint files, a
   * {@code generation_config.json} (from config.json's token ids, unless the tokenizer folder had one) and the
   * model card when one is set; names the folder on failure.
   */
  public void saveFinal(Path dir) {
    try (NativeScope scope = NativeScope.open()) {
      save(dir);
      writeGenerationConfig(dir);
      writeChatTemplate(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the final model to " + dir + ": " + e.getMessage(), e);
    }
    if (card != null) card.write(dir);
  }

  /**
   * Writes {@code dir/chat_template.jinja} with ChatML when the folder has a tokenizer but no chat template: the
   * template rlhf4j renders conversations with for such a tokenizer ({@link ChatTemplate#CHATML_SOURCE}), so
   * transformers' {@code apply_chat_template} and {@code rlhf4j generate --chat} format prompts as training did.
   */
  public static void writeChatTemplate(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("tokenizer.json")) || Files.exists(dir.resolve("chat_template.jinja"))
        || Files.exists(dir.resolve("chat_template.json"))) return;
    Path cfg = dir.resolve("tokenizer_config.json");
    if (Files.isRegularFile(cfg) && new ObjectMapper().readTree(cfg.toFile()).hasNonNull("chat_template")) return;
    FileOps.writeString(dir.resolve("chat_template.jinja"), ChatTemplate.CHATML_SOURCE);
  }

  /**
   * Writes {@code dir/generation_config.json} when it is missing: transformers' layout, with the bos/eos/pad
   * token ids of {@code dir/config.json} (what {@code GenerationConfig.from_model_config} would derive).
   */
  public static void writeGenerationConfig(Path dir) throws IOException {
    Path target = dir.resolve("generation_config.json"), config = dir.resolve("config.json");
    if (Files.isRegularFile(target) || !Files.isRegularFile(config)) return;
    ObjectMapper json = new ObjectMapper();
    JsonNode c = json.readTree(config.toFile());
    ObjectNode g = json.createObjectNode();
    g.put("_from_model_config", true);
    for (String k : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
      if (c.hasNonNull(k)) g.set(k, c.get(k));
    }
    FileOps.writeString(target, json.writerWithDefaultPrettyPrinter().writeValueAsString(g) + "\n");
  }
}

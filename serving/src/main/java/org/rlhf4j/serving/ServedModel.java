package org.rlhf4j.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * The model being served: its weights, tokenizer, the name clients ask for ({@code model} in requests) and
 * its version (the first 12 hex digits of the SHA-256 of model.safetensors), which every logged response carries.
 */
public record ServedModel(CausalLM lm, Tokenizer tokenizer, String name, String version) {
  public ServedModel {
    if (lm == null || tokenizer == null) throw new IllegalArgumentException("ServedModel: model and tokenizer are required");
    if (name == null || name.isBlank()) throw new IllegalArgumentException("ServedModel: name is required");
    if (version == null || version.isBlank()) throw new IllegalArgumentException("ServedModel: version is required");
    lm.requiresGrad(false);
  }

  /** Loads a Hugging Face folder; {@code name} null uses the folder's name. */
  public static ServedModel load(Path dir, String name) { return load(dir, null, name); }

  /**
   * Loads a Hugging Face folder with a PEFT LoRA adapter merged into it ({@code adapter} null: none), served
   * under {@code name} (null: the adapter's or the model's folder name). The tokenizer is the adapter folder's when it
   * has one (a LoRA run writes it there), else the model's. The version hashes the base weights and the adapter's.
   */
  public static ServedModel load(Path dir, Path adapter, String name) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IllegalArgumentException("model folder " + dir + " has no config.json");
    Path tokDir = adapter != null && Files.isRegularFile(adapter.resolve("tokenizer.json")) ? adapter : dir;
    if (!Files.isRegularFile(tokDir.resolve("tokenizer.json"))) throw new IllegalArgumentException("model folder " + dir + " has no tokenizer.json");
    Path named = adapter != null ? adapter : dir;
    String n = name != null ? name : named.toAbsolutePath().normalize().getFileName().toString();
    CausalLM lm = CausalLM.load(dir);
    String version = version(dir);
    if (adapter != null) {
      if (!Files.isRegularFile(adapter.resolve("adapter_config.json"))) {
        throw new IllegalArgumentException("--adapter " + adapter + " has no adapter_config.json (a PEFT LoRA adapter folder)");
      }
      try {
        lm.loadAdapters(adapter).merge(); // merged: decoding costs what the base model costs
      } catch (org.rlhf4j.runtime.CheckpointException e) {
        throw new IllegalArgumentException("--adapter " + e.getMessage(), e);
      }
      version = hash(dir.resolve("model.safetensors"), adapter.resolve("adapter_model.safetensors"));
    }
    return new ServedModel(lm, Tokenizer.load(tokDir), n, version);
  }

  /** Context length: the model's maximum positions. */
  public int contextLength() { return lm.config().maxPositions(); }

  /** The version a model folder is served and logged under: the first 12 hex digits of its weights' SHA-256. */
  public static String version(Path dir) {
    Path weights = dir.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) return "unversioned";
    return hash(weights);
  }

  private static String hash(Path... files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + java.util.Arrays.toString(files) + ": " + e.getMessage(), e);
    }
  }
}

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
  public static ServedModel load(Path dir, String name) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IllegalArgumentException("model folder " + dir + " has no config.json");
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) throw new IllegalArgumentException("model folder " + dir + " has no tokenizer.json");
    String n = name != null ? name : dir.toAbsolutePath().normalize().getFileName().toString();
    return new ServedModel(CausalLM.load(dir), Tokenizer.load(dir), n, version(dir));
  }

  /** Context length: the model's maximum positions. */
  public int contextLength() { return lm.config().maxPositions(); }

  /** The version a model folder is served and logged under: the first 12 hex digits of its weights' SHA-256. */
  public static String version(Path dir) {
    Path weights = dir.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) return "unversioned";
    try (InputStream in = Files.newInputStream(weights)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + weights + ": " + e.getMessage(), e);
    }
  }
}

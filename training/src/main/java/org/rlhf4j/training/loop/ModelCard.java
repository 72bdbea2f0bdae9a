package org.rlhf4j.training.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.models.lora.LoraModel;

/**
 * The short model card ({@code README.md}, Hugging Face's front matter) written beside a finished model: how it was
 * trained (method, base model, data, steps, the effective settings), the last logged metrics, and how to load it.
 *
 * <pre>{@code
 * ModelCard.of("dpo", modelDir, dataFile, settings).withMetricsOf(out).write(out);
 * }</pre>
 *
 * @param method   the training command or method ({@code sft}, {@code dpo}, {@code ppo}, ...)
 * @param base     the model it started from (a folder or hub id; null when trained from scratch)
 * @param data     the training data (a file; may be null)
 * @param settings the effective settings, as written to the run's config file (may be empty)
 * @param metrics  the last logged metrics (may be empty)
 */
public record ModelCard(String method, String base, String data, Map<String, Object> settings, Map<String, Object> metrics) {
  public static final String FILE = "README.md";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelCard {
    if (method == null || method.isBlank()) throw new IllegalArgumentException("ModelCard: method is required");
    settings = settings == null ? Map.of() : new LinkedHashMap<>(settings);
    metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
  }

  public static ModelCard of(String method, Object base, Object data, Map<String, Object> settings) {
    return new ModelCard(method, base == null ? null : base.toString(), data == null ? null : data.toString(), settings, Map.of());
  }

  /** This card with the last line of {@code runDir/metrics.jsonl} (unchanged when there is none). */
  public ModelCard withMetricsOf(Path runDir) {
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.isRegularFile(file)) return this;
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        JsonNode n = readOrNull(lines.get(i));
        if (n == null || !n.has("loss")) continue; // an evaluation line: the card shows the last training line
        Map<String, Object> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
        return new ModelCard(method, base, data, settings, m);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readOrNull(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The card's Markdown for a full model folder: YAML front matter (library_name, tags, base_model) and the body. */
  public String markdown() { return markdown(false); }

  /**
   * The card's Markdown; {@code adapter}: the folder holds a PEFT LoRA adapter (what a LoRA run writes at the top of
   * its output), so the card names its files and says how to apply it to the base model.
   */
  public String markdown(boolean adapter) {
    StringBuilder b = new StringBuilder("---\nlibrary_name: rlhf4j\ntags:\n- rlhf4j\n- ").append(method).append('\n');
    if (adapter) b.append("- peft\n- lora\n");
    if (isHubId(base)) b.append("base_model: ").append(base).append('\n');
    b.append("---\n\n# ").append(method.toUpperCase(Locale.ROOT)).append(adapter ? " LoRA adapter" : " model")
        .append(" trained with rlhf4j\n\n");
    b.append("Trained with `rlhf4j ").append(method).append('`');
    if (base != null) b.append(" from `").append(base).append('`');
    if (data != null) b.append(" on `").append(data).append('`');
    b.append(adapter
        ? ".\nA PEFT LoRA adapter folder: `adapter_config.json`, `adapter_model.safetensors`, the tokenizer files; the base "
            + "model's weights are not in it.\n"
        : ".\nA Hugging Face folder: `config.json`, `model.safetensors`, the tokenizer files, `generation_config.json`.\n");
    if (!settings.isEmpty()) {
      b.append("\n## Settings\n\n| key | value |\n| --- | --- |\n");
      settings.forEach((k, v) -> b.append("| `").append(k).append("` | ").append(cell(v)).append(" |\n"));
    }
    if (!metrics.isEmpty()) {
      b.append("\n## Last logged metrics\n\n| metric | value |\n| --- | --- |\n");
      metrics.forEach((k, v) -> b.append("| `").append(k).append("` | ").append(cell(v)).append(" |\n"));
    }
    return (adapter ? useAdapter(b) : use(b)).toString();
  }

  private static StringBuilder use(StringBuilder b) {
    return b.append("\n## Use\n\n```bash\n./rlhf4j generate --model THIS_FOLDER --prompt \"...\"\n```\n\n```python\n")
        .append("from transformers import AutoModelForCausalLM, AutoTokenizer\n")
        .append("model = AutoModelForCausalLM.from_pretrained(\"THIS_FOLDER\")\n")
        .append("tokenizer = AutoTokenizer.from_pretrained(\"THIS_FOLDER\")\n```\n");
  }

  private StringBuilder useAdapter(StringBuilder b) {
    String baseDir = base == null ? "BASE_MODEL" : base;
    return b.append("\n## Use\n\n```bash\n./rlhf4j generate --model ").append(baseDir)
        .append(" --adapter THIS_FOLDER --prompt \"...\"\n./rlhf4j lora merge --model ").append(baseDir)
        .append(" --adapter THIS_FOLDER --output MERGED   # a plain model folder\n```\n\n```python\n")
        .append("from peft import PeftModel\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n")
        .append("model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(\"").append(baseDir)
        .append("\"), \"THIS_FOLDER\")\ntokenizer = AutoTokenizer.from_pretrained(\"THIS_FOLDER\")\n```\n");
  }

  /** "org/name" that is not a local folder: what Hugging Face's base_model expects (a local path is no hub id). */
  private static boolean isHubId(String base) {
    return base != null && base.matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+") && !Files.exists(Path.of(base));
  }

  private static String cell(Object v) {
    String s = v instanceof Double d && Double.isFinite(d)
        ? new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", d)).stripTrailingZeros().toString() : String.valueOf(v);
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** Writes {@code dir/README.md} atomically; an adapter's card when {@code dir} holds {@code adapter_config.json}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      FileOps.writeString(dir.resolve(FILE), markdown(Files.isRegularFile(dir.resolve(LoraModel.CONFIG_FILE))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model card " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }
}

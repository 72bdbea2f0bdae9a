package org.rlhf4j.models.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.runtime.CheckpointException;

/**
 * PEFT's {@code adapter_config.json} for plain LoRA: read with checks that refuse what rlhf4j does not
 * implement (DoRA, biases, rank/alpha patterns, modules_to_save other than a sequence classifier's head, ...) by
 * field name; written with the fields PEFT 0.21 writes, so {@code PeftModel.from_pretrained} and
 * {@code LoraConfig.from_pretrained} read it. The {@link PeftTask} sets {@code task_type} and {@code modules_to_save}.
 */
final class AdapterConfigFile {
  static final String PEFT_VERSION = "0.21.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdapterConfigFile() {}

  /** What a config file says: the LoRA configuration, its task, and the modules saved whole beside the adapters. */
  record Read(LoraConfig config, PeftTask task, List<String> modulesToSave) {
    Read {
      modulesToSave = List.copyOf(modulesToSave);
    }
  }

  static Read read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read the adapter config: " + e.getMessage());
    }
    if (n == null || !n.isObject()) throw err(file, "not a JSON object");
    String type = n.path("peft_type").asText("");
    if (!type.equals("LORA")) throw err(file, "peft_type is '" + type + "'; only LORA adapters are supported");
    refuseTrue(file, n, "use_dora", "use_qalora", "lora_bias");
    PeftTask task = PeftTask.of(n.path("task_type").asText(""));
    List<String> saved = modulesToSave(file, n, task);
    refuseSet(file, n, "layers_to_transform", "layer_replication", "trainable_token_indices",
        "target_parameters", "alora_invocation_tokens", "rank_pattern", "alpha_pattern", "megatron_config");
    if (!n.path("bias").asText("none").equals("none")) throw err(file, "bias '" + n.get("bias").asText() + "' is not supported (only none)");
    if (!n.path("r").isInt()) throw err(file, "missing integer field \"r\"");
    if (!n.path("lora_alpha").isNumber()) throw err(file, "missing numeric field \"lora_alpha\"");
    TargetModules targets = modules(file, n, "target_modules");
    if (targets == null) throw err(file, "missing field \"target_modules\"");
    try {
      return new Read(new LoraConfig(n.get("r").asInt(), n.get("lora_alpha").asDouble(), n.path("lora_dropout").asDouble(0),
          targets, modules(file, n, "exclude_modules"), n.path("use_rslora").asBoolean(false),
          n.path("base_model_name_or_path").isTextual() ? n.get("base_model_name_or_path").asText() : null), task, saved);
    } catch (IllegalArgumentException e) {
      throw err(file, e.getMessage());
    }
  }

  /**
   * The file's {@code modules_to_save} (PEFT may list a name twice: loading extends the list again): none unless the
   * task is SEQ_CLS, and then only the head's names ({@code classifier}, {@code score}).
   */
  private static List<String> modulesToSave(Path file, JsonNode n, PeftTask task) {
    JsonNode v = n.path("modules_to_save");
    if (v.isMissingNode() || v.isNull() || (v.isArray() && v.isEmpty())) return List.of();
    if (task != PeftTask.SEQ_CLS) throw err(file, "modules_to_save is set (" + v + "); rlhf4j does not support it yet "
        + "(it saves a sequence classifier's head, task_type SEQ_CLS)");
    if (!v.isArray()) throw err(file, "modules_to_save must be a list of module names, got " + v);
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!task.saves(x.asText())) {
        throw err(file, "modules_to_save lists '" + x.asText() + "'; rlhf4j saves only a sequence classifier's head ("
            + String.join(", ", task.modulesToSave()) + ") beside the adapters");
      }
      if (!out.contains(x.asText())) out.add(x.asText());
    }
    return out;
  }

  /** Writes the config PEFT writes for {@code task}; {@code fanInFanOut} true when the targets are Conv1D (GPT-2). */
  static void write(Path file, LoraConfig c, boolean fanInFanOut, PeftTask task) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.putNull("alora_invocation_tokens");
    o.putObject("alpha_pattern");
    o.putNull("arrow_config");
    o.putNull("auto_mapping");
    if (c.baseModel() == null) o.putNull("base_model_name_or_path"); else o.put("base_model_name_or_path", c.baseModel());
    o.put("bias", "none");
    o.putNull("corda_config");
    o.put("ensure_weight_tying", false);
    o.putNull("eva_config");
    putModules(o, "exclude_modules", c.exclude());
    o.put("fan_in_fan_out", fanInFanOut);
    o.put("inference_mode", true);
    o.put("init_lora_weights", true);
    o.putNull("kasa_config");
    o.putNull("layer_replication");
    o.putNull("layers_pattern");
    o.putNull("layers_to_transform");
    o.putObject("loftq_config");
    putNumber(o, "lora_alpha", c.alpha());
    o.put("lora_bias", false);
    o.put("lora_dropout", c.dropout());
    o.putNull("lora_ga_config");
    o.putNull("megatron_config");
    o.put("megatron_core", "megatron.core");
    if (task.modulesToSave().isEmpty()) {
      o.putNull("modules_to_save");
    } else {
      ArrayNode saved = o.putArray("modules_to_save");
      task.modulesToSave().forEach(saved::add);
    }
    o.putNull("monteclora_config");
    o.put("peft_type", "LORA");
    o.put("peft_version", PEFT_VERSION);
    o.put("qalora_group_size", 16);
    o.put("r", c.r());
    o.putObject("rank_pattern");
    o.putNull("revision");
    putModules(o, "target_modules", c.targets());
    o.putNull("target_parameters");
    o.put("task_type", task.field());
    o.putNull("trainable_token_indices");
    o.putNull("use_bdlora");
    o.put("use_dora", false);
    o.put("use_qalora", false);
    o.put("use_rslora", c.rsLora());
    o.putNull("velora_config");
    FileOps.writeAtomically(file, tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), o));
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) o.put(key, (long) v); else o.put(key, v);
  }

  private static void putModules(ObjectNode o, String key, TargetModules m) {
    if (m == null) {
      o.putNull(key);
    } else if (m instanceof TargetModules.Names n) {
      ArrayNode a = o.putArray(key);
      n.names().forEach(a::add);
    } else if (m instanceof TargetModules.Regex r) {
      o.put(key, r.pattern());
    } else {
      o.put(key, "all-linear");
    }
  }

  private static TargetModules modules(Path file, JsonNode n, String key) {
    JsonNode v = n.path(key);
    if (v.isMissingNode() || v.isNull()) return null;
    try {
      if (v.isTextual()) return v.asText().equals("all-linear") ? new TargetModules.AllLinear() : new TargetModules.Regex(v.asText());
      if (v.isArray()) {
        List<String> names = new ArrayList<>();
        v.forEach(x -> names.add(x.asText()));
        return new TargetModules.Names(names);
      }
    } catch (IllegalArgumentException e) {
      throw err(file, key + ": " + e.getMessage());
    }
    throw err(file, key + " must be a list of module names or a regular expression, got " + v);
  }

  private static void refuseTrue(Path file, JsonNode n, String... keys) {
    for (String k : keys) if (n.path(k).asBoolean(false)) throw err(file, k + " is true; rlhf4j supports plain LoRA only");
  }

  private static void refuseSet(Path file, JsonNode n, String... keys) {
    for (String k : keys) {
      JsonNode v = n.path(k);
      boolean empty = v.isMissingNode() || v.isNull() || (v.isContainerNode() && v.isEmpty());
      if (!empty) throw err(file, k + " is set (" + v + "); rlhf4j does not support it yet");
    }
  }

  private static CheckpointException err(Path file, String msg) { return new CheckpointException(file + ": " + msg); }
}

package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.optim.Schedule;

/**
 * A training command's settings: a YAML/JSON map from --config with the flags applied over it, typed getters
 * whose errors name the key, and the effective settings written beside the run.
 */
final class Settings {
  static final String FILE = "rlhf4j_config.yaml";
  /** The keys every training command reads (the loop's, the data's, LoRA's, the device). */
  static final Set<String> COMMON = Set.of("model", "data", "output", "max_steps", "lr", "batch_size", "seed",
      "resume", "warmup_steps", "min_lr_ratio", "schedule", "grad_accumulation", "max_grad_norm",
      "weight_decay", "autocast", "save_every", "keep_checkpoints", "pii",
      "lora_r", "lora_alpha", "lora_targets", "lora_dropout", "use_rslora", "gradient_checkpointing", "device");
  /**
   * The keys of the commands that log every {@code log_every} optimizer steps and cut examples to {@code max_length}
   * (sft, reward, dpo, kto; pretrain logs but has {@code seq_length}). ppo, rloo and grpo log once per iteration and
   * limit responses with {@code response_length}, so neither key is offered to them; {@code eval_every} is reward's
   * alone (the only command with held-out data).
   */
  static final Set<String> OFFLINE = Set.of("log_every", "max_length");

  /** The union of key sets (a command's KEYS from shared groups and its own). */
  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : sets) all.addAll(s);
    return Set.copyOf(all);
  }
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Map<String, Object> values;
  private final String source;

  Settings(Map<String, Object> values, String source) {
    this.values = values;
    this.source = source;
  }

  @SuppressWarnings("unchecked")
  static Settings read(Path file) {
    if (!Files.isRegularFile(file)) throw new UserError("config file " + file + " does not exist");
    try {
      com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(Files.readString(file));
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return new Settings(new LinkedHashMap<>(), file.toString()); // empty, or only comments: no settings
      }
      Object o = YAML.treeToValue(tree, Object.class);
      if (!(o instanceof Map)) throw new UserError(file + ": expected a mapping of settings at the top level");
      return new Settings(new LinkedHashMap<>((Map<String, Object>) o), file.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
      throw new UserError(file + at + ": malformed YAML/JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  void checkKnown(Set<String> known) {
    for (String k : values.keySet()) {
      if (!known.contains(k)) throw new UserError(source + ": unknown setting '" + k + "' (known: " + new TreeSet<>(known) + ")");
    }
  }

  void put(String key, Object v) { if (v != null) values.put(key, v instanceof Path p ? p.toString() : v); }

  boolean has(String key) { return values.get(key) != null; }

  /** The settings as given (config file with the flags applied), in order. */
  Map<String, Object> values() { return java.util.Collections.unmodifiableMap(values); }

  Path path(String key) {
    if (!has(key)) throw new UserError("no " + key + ": give --" + key.replace('_', '-') + " or set '" + key + "' in --config");
    return Path.of(values.get(key).toString());
  }

  String string(String key, String dflt) { return has(key) ? values.get(key).toString() : dflt; }

  int integer(String key, int dflt) { return (int) number(key, dflt); }

  /** A list setting: a YAML/JSON list, or one comma-separated string (as a flag gives it). */
  List<String> strings(String key, List<String> dflt) {
    if (!has(key)) return dflt;
    Object v = values.get(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x).trim()));
    else for (String x : v.toString().split(",")) out.add(x.trim());
    if (out.isEmpty() || out.stream().anyMatch(String::isEmpty)) {
      throw new UserError(source + ": setting '" + key + "' has an empty entry: '" + v + "'");
    }
    return out;
  }

  /** A list of numbers (see {@link #strings}); errors name the key and the entry. */
  List<Double> numbers(String key) {
    List<Double> out = new ArrayList<>();
    for (String x : strings(key, List.of())) {
      try {
        out.add(Double.parseDouble(x));
      } catch (NumberFormatException e) {
        throw new UserError(source + ": setting '" + key + "' must be numbers, got '" + x + "'");
      }
    }
    return out;
  }

  double number(String key, double dflt) {
    if (!has(key)) return dflt;
    Object v = values.get(key);
    try {
      return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
    } catch (NumberFormatException e) {
      throw new UserError(source + ": setting '" + key + "' must be a number, got '" + v + "'");
    }
  }

  boolean bool(String key, boolean dflt) {
    if (!has(key)) return dflt;
    Object v = values.get(key);
    if (v instanceof Boolean b) return b;
    if ("true".equalsIgnoreCase(v.toString()) || "false".equalsIgnoreCase(v.toString())) return Boolean.parseBoolean(v.toString());
    throw new UserError(source + ": setting '" + key + "' must be true or false, got '" + v + "'");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(String key) {
    Object v = values.get(key);
    if (v == null) return new LinkedHashMap<>();
    if (!(v instanceof Map)) throw new UserError(source + ": setting '" + key + "' must be a mapping");
    return (Map<String, Object>) v;
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E dflt) {
    if (!has(key)) return dflt;
    String v = values.get(key).toString();
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError(source + ": setting '" + key + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          .toLowerCase(Locale.ROOT) + ", got '" + v + "'");
    }
  }

  /** The trainer settings over {@link TrainConfig#defaults} for the output folder. */
  TrainConfig trainConfig() {
    return trainConfig(TrainConfig.defaults(path("output")));
  }

  /** The loop settings over an algorithm's defaults {@code d}. */
  TrainConfig trainConfig(TrainConfig d) {
    try {
      return d.toBuilder().lr(number("lr", d.lr())).maxSteps(integer("max_steps", d.maxSteps()))
          .warmupSteps(integer("warmup_steps", d.warmupSteps())).minLrRatio(number("min_lr_ratio", d.minLrRatio()))
          .schedule(choice("schedule", Schedule.class, d.schedule())).gradAccumulation(integer("grad_accumulation", d.gradAccumulation()))
          .maxGradNorm(number("max_grad_norm", d.maxGradNorm())).weightDecay(number("weight_decay", d.weightDecay()))
          .autocast(has("autocast") ? DType.parse(string("autocast", "")) : d.autocast()).seed((long) number("seed", d.seed()))
          .logEvery(integer("log_every", d.logEvery())).evalEvery(integer("eval_every", d.evalEvery()))
          .saveEvery(integer("save_every", d.saveEvery())).keepCheckpoints(integer("keep_checkpoints", d.keepCheckpoints()))
          .resume(bool("resume", false)).build();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Writes the effective settings as YAML into {@code dir} (usable again with --config). */
  void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(FILE + ".tmp");
      YAML.writeValue(tmp.toFile(), values);
      Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UserError("cannot write " + dir.resolve(FILE) + ": " + e.getMessage());
    }
  }

  /**
   * Refuses a token length setting ({@code max_length}, {@code seq_length}) longer than the model's positions: the
   * model would see positions it was never trained for (garbage) instead of a clear limit.
   */
  void checkContext(CausalLM model, String... keys) {
    int context = model.config().maxPositions();
    for (String k : keys) {
      if (has(k) && integer(k, 0) > context) {
        throw new UserError(flagOrKey(k) + " " + integer(k, 0) + " exceeds the model's " + context
            + " positions (max_position_embeddings in its config.json): give at most " + context);
      }
    }
  }

  /** How the user names a setting: "--max-length" (a flag) or "'max_length'" when it came from --config. */
  static String flagOrKey(String key) { return "--" + key.replace('_', '-') + " (" + key + ")"; }

  /** The tokenizer of a user-given folder, or a one-line error. */
  static Tokenizer tokenizer(Path dir) {
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) throw new UserError("no tokenizer.json in " + dir);
    return Tokenizer.load(dir);
  }

  /** The model in a user-given folder, or a one-line error. */
  static CausalLM model(Path dir) { return model(dir, Device.CPU); }

  /** The causal LM of a user-given folder on {@code device} (float32), or a one-line error. */
  static CausalLM model(Path dir, Device device) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) throw new UserError("model folder " + dir + " has no config.json");
    return CausalLM.load(dir, device, DType.F32);
  }

  /**
   * The device of setting {@code device} (--device; default cpu): cpu, cuda, cuda:N or auto. CUDA asked of a
   * libtorch without it is a usage error naming the flag, before any data is read.
   */
  Device device() {
    String v = string("device", "cpu");
    Device d;
    try {
      d = Device.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UserError("--device (device): " + e.getMessage());
    }
    if (d.isCuda() && !org.rlhf4j.runtime.Runtime.cudaAvailable()) {
      throw new UserError("--device " + v + ": this libtorch has no CUDA (rlhf4j bundles the CPU natives of "
          + "org.bytedeco:pytorch for linux-x86_64; CUDA needs its linux-x86_64-gpu natives and an NVIDIA driver): use --device cpu");
    }
    return d;
  }
}

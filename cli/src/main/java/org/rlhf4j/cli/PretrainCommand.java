package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Text;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.pretrain.PretrainOptions;
import org.rlhf4j.training.pretrain.Pretrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rlhf4j pretrain}: causal-LM pre-training on a text corpus (a .txt file of blank-line
 * separated documents, or JSONL with {@code {"text"}}), from a model folder or a new Llama
 * described by {@code model_config} in the config file.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pre-trains a causal LM on a text corpus (documents packed into fixed-length blocks).",
        "Settings come from --config (YAML or JSON) and are overridden by flags; the effective settings are written "
            + "to OUTPUT/" + PretrainCommand.Settings.FILE + "."})
public final class PretrainCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("tokenizer", "model_config", "seq_length");

  @Mixin TrainFlags flags;
  @Option(names = "--tokenizer", description = "Folder with tokenizer.json (default: the --model folder).") Path tokenizer;
  @Option(names = "--seq-length", description = "Block length in tokens (default 256).") Integer seqLength;

  @Override public Integer call() {
    Settings s = flags.settings(KEYS);
    s.put("tokenizer", tokenizer);
    s.put("seq_length", seqLength);
    Path data = s.path("data");
    Path tokDir = s.has("tokenizer") ? s.path("tokenizer") : s.has("model") ? s.path("model") : null;
    if (tokDir == null) throw new UserError("give --tokenizer (or --model) so the corpus can be tokenized");
    TrainConfig cfg = s.trainConfig();
    try (Tokenizer tok = CliFiles.tokenizer(tokDir)) {
      CausalLM model = s.has("model") ? CliFiles.model(s.path("model")) : newModel(s, tok);
      List<String> docs = documents(data);
      s.write(cfg.outputDir());
      TrainResult r = Pretrainer.train(model, tok, docs, cfg, new PretrainOptions(s.integer("seq_length", 256),
          s.integer("batch_size", 8)), tokDir);
      System.out.printf(Locale.ROOT, "pretrain: final loss %.4f; model saved to %s%n", r.finalLoss(), cfg.outputDir());
    }
    return 0;
  }

  static List<String> documents(Path data) {
    String name = data.getFileName().toString();
    if (name.endsWith(".txt") || name.endsWith(".md")) return Pretrainer.readDocuments(data);
    return DataFiles.readPromptCompletions(data).stream().map(PromptCompletion::completion)
        .map(c -> c instanceof Text t ? t.text() : c.display()).toList();
  }

  private static CausalLM newModel(Settings s, Tokenizer tok) {
    Map<String, Object> m = s.map("model_config");
    Settings mc = new Settings(m, "model_config");
    mc.checkKnown(Set.of("hidden", "intermediate", "layers", "heads", "kv_heads", "max_positions"));
    int hidden = mc.integer("hidden", 64), heads = mc.integer("heads", 4);
    ModelConfig cfg = ModelConfig.llama(tok.vocabSize(), hidden, mc.integer("intermediate", 4 * hidden), mc.integer("layers", 2),
        heads, mc.integer("kv_heads", heads), mc.integer("max_positions", Math.max(256, s.integer("seq_length", 256))))
        .withVocab(tok.vocabSize(), tok.bosId().orElse(tok.padId()), tok.eosId().orElse(tok.padId()));
    return CausalLM.random(cfg, s.integer("seed", 42), Device.CPU);
  }

  /** The flags every training command shares (picocli mixin). */
  public static final class TrainFlags {
    @Option(names = "--config", description = "YAML or JSON file of settings (flags override it).") Path config;
    @Option(names = "--model", description = "Model folder to start from.") Path model;
    @Option(names = "--data", description = "Training data file.") Path data;
    @Option(names = "--output", description = "Output folder (checkpoints, metrics.jsonl, final model).") Path output;
    @Option(names = "--max-steps", description = "Optimizer steps.") Integer maxSteps;
    @Option(names = "--lr", description = "Peak learning rate.") Double lr;
    @Option(names = "--batch-size", description = "Examples per micro-batch.") Integer batchSize;
    @Option(names = "--seed", description = "Random seed.") Long seed;
    @Option(names = "--max-length", description = "Tokens per example.") Integer maxLength;
    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output folder.") boolean resume;

    /** The config file's settings with the flags applied, checked against the known keys. */
    Settings settings(Set<String> commandKeys) {
      Settings s = config == null ? new Settings(new LinkedHashMap<>(), "settings") : Settings.read(config);
      Set<String> known = new TreeSet<>(Settings.COMMON);
      known.addAll(commandKeys);
      s.checkKnown(known);
      s.put("model", model);
      s.put("data", data);
      s.put("output", output);
      s.put("max_steps", maxSteps);
      s.put("lr", lr);
      s.put("batch_size", batchSize);
      s.put("seed", seed);
      s.put("max_length", maxLength);
      if (resume) s.put("resume", true);
      for (String required : List.of("data", "output")) {
        if (!s.has(required)) throw new UserError("no " + required + ": give --" + required + " or set '" + required + "' in --config");
      }
      return s;
    }
  }

  /** Settings from a YAML/JSON map, with typed getters whose errors name the key. */
  static final class Settings {
    static final String FILE = "rlhf4j_config.yaml";
    static final Set<String> COMMON = Set.of("model", "data", "output", "max_steps", "lr", "batch_size", "seed",
        "max_length", "resume", "warmup_steps", "min_lr_ratio", "schedule", "grad_accumulation", "max_grad_norm",
        "weight_decay", "autocast", "log_every", "eval_every", "save_every", "keep_checkpoints");
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
        Object o = YAML.readValue(file.toFile(), Object.class);
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

    Path path(String key) {
      if (!has(key)) throw new UserError("no " + key + ": give --" + key.replace('_', '-') + " or set '" + key + "' in --config");
      return Path.of(values.get(key).toString());
    }

    String string(String key, String dflt) { return has(key) ? values.get(key).toString() : dflt; }

    int integer(String key, int dflt) { return (int) number(key, dflt); }

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

    /** The trainer settings (defaults: {@link TrainConfig#defaults}). */
    TrainConfig trainConfig() {
      TrainConfig d = TrainConfig.defaults(path("output"));
      try {
        return d.toBuilder().lr(number("lr", d.lr())).maxSteps(integer("max_steps", d.maxSteps()))
            .warmupSteps(integer("warmup_steps", d.warmupSteps())).minLrRatio(number("min_lr_ratio", d.minLrRatio()))
            .schedule(choice("schedule", Schedule.class, d.schedule())).gradAccumulation(integer("grad_accumulation", d.gradAccumulation()))
            .maxGradNorm(number("max_grad_norm", d.maxGradNorm())).weightDecay(number("weight_decay", d.weightDecay()))
            .autocast(choice("autocast", DType.class, d.autocast())).seed((long) number("seed", d.seed()))
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
  }

  /** Loading of user-given folders with one-line errors. */
  static final class CliFiles {
    private CliFiles() {}

    static Tokenizer tokenizer(Path dir) {
      if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) throw new UserError("no tokenizer.json in " + dir);
      return Tokenizer.load(dir);
    }

    static CausalLM model(Path dir) {
      if (!Files.isRegularFile(dir.resolve("config.json"))) throw new UserError("model folder " + dir + " has no config.json");
      return CausalLM.load(dir);
    }
  }
}

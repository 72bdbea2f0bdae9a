package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.optim.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j dpo}: direct preference optimisation on preference pairs. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = {"Direct preference optimisation (TRL DPOTrainer): sigmoid (default), ipo, cdpo or hinge loss.",
        "Data: JSONL/JSON {prompt, chosen, rejected} (plain text). The reference is the --model as loaded.",
        "Settings come from --config (YAML or JSON) and are overridden by flags; effective ones go to OUTPUT/"
            + DpoCommand.Conf.FILE + ". Writes metrics.jsonl and checkpoint-<step>/ (Hugging Face layout)."})
public final class DpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("loss_type", "beta", "label_smoothing", "precompute_ref_log_probs");

  @Mixin Flags flags;
  @Option(names = "--loss-type", description = "sigmoid, ipo, cdpo or hinge (default sigmoid).") String lossType;
  @Option(names = "--beta", description = "Beta (default 0.1).") Double beta;
  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training.") boolean precompute;

  @Override public Integer call() throws java.io.IOException {
    Conf c = flags.conf(KEYS, true);
    c.put("loss_type", lossType);
    c.put("beta", beta);
    if (precompute) c.put("precompute_ref_log_probs", true);
    DpoConfig d = DpoConfig.defaults(c.path("output"));
    TrainConfig train = c.trainConfig(d.train());
    DpoConfig cfg = d.withVariant(variant(c)).withTrain(train).withBatchSize(c.integer("batch_size", d.batchSize()))
        .withMaxLength(c.integer("max_length", d.maxLength())).withPrecomputeReference(c.bool("precompute_ref_log_probs", false));
    var pairs = DataFiles.readPreferences(c.path("data"));
    try (Tokenizer tok = Conf.tokenizer(c.path("model"))) {
      CausalLM policy = Conf.model(c.path("model"));
      c.write(train.outputDir());
      var r = DoctorWatch.around(train.outputDir(), train.maxSteps() / Math.max(1, train.logEvery()), System.err,
          () -> DpoTrainer.run(policy, policy.copy(DType.F32), pairs, tok, cfg));
      System.out.printf(Locale.ROOT, "dpo: final loss %.4f, rewards/margins %.4f; checkpoints in %s%n",
          r.train().finalLoss(), r.lastMetrics().getOrDefault("rewards/margins", Double.NaN), train.outputDir());
    }
    return 0;
  }

  private static DpoLoss.Variant variant(Conf c) {
    double beta = c.number("beta", 0.1);
    try {
      return switch (c.string("loss_type", "sigmoid").toLowerCase(Locale.ROOT)) {
        case "sigmoid" -> new DpoLoss.Sigmoid(beta);
        case "ipo" -> new DpoLoss.Ipo(beta);
        case "cdpo", "conservative" -> new DpoLoss.Conservative(beta, c.number("label_smoothing", 0.1));
        case "hinge" -> new DpoLoss.Hinge(beta);
        default -> throw new UserError("loss_type must be sigmoid, ipo, cdpo or hinge, got '" + c.string("loss_type", "") + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The flags every preference-optimisation command shares (picocli mixin). */
  public static final class Flags {
    @Option(names = "--config", description = "YAML or JSON file of settings (flags override it).") Path config;
    @Option(names = "--model", description = "Model folder (config.json, model.safetensors, tokenizer.json).") Path model;
    @Option(names = "--data", description = "Data file (JSONL/JSON).") Path data;
    @Option(names = "--output", description = "Output folder (checkpoints, metrics.jsonl).") Path output;
    @Option(names = "--max-steps", description = "Optimizer steps (ppo/rloo/grpo: iterations).") Integer maxSteps;
    @Option(names = "--lr", description = "Peak learning rate.") Double lr;
    @Option(names = "--batch-size", description = "Examples per batch (ppo/rloo/grpo: prompts per iteration).") Integer batchSize;
    @Option(names = "--seed", description = "Random seed.") Long seed;
    @Option(names = "--max-length", description = "Tokens per example.") Integer maxLength;
    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output folder.") boolean resume;

    /** The config file's settings with the flags applied, checked against the known keys. */
    Conf conf(Set<String> commandKeys, boolean needsData) {
      Conf c = config == null ? new Conf(new LinkedHashMap<>(), "settings") : Conf.read(config);
      Set<String> known = new TreeSet<>(Conf.COMMON);
      known.addAll(commandKeys);
      c.checkKnown(known);
      c.put("model", model);
      c.put("data", data);
      c.put("output", output);
      c.put("max_steps", maxSteps);
      c.put("lr", lr);
      c.put("batch_size", batchSize);
      c.put("seed", seed);
      c.put("max_length", maxLength);
      if (resume) c.put("resume", true);
      for (String k : needsData ? new String[] {"model", "data", "output"} : new String[] {"model", "output"}) c.path(k);
      return c;
    }
  }

  /** Settings from a YAML/JSON map, with typed getters whose errors name the key. */
  static final class Conf {
    static final String FILE = "rlhf4j_config.yaml";
    static final Set<String> COMMON = Set.of("model", "data", "output", "max_steps", "lr", "batch_size", "seed",
        "max_length", "resume", "warmup_steps", "min_lr_ratio", "schedule", "grad_accumulation", "max_grad_norm",
        "weight_decay", "autocast", "log_every", "save_every", "keep_checkpoints");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Map<String, Object> values;
    private final String source;

    Conf(Map<String, Object> values, String source) {
      this.values = values;
      this.source = source;
    }

    @SuppressWarnings("unchecked")
    static Conf read(Path file) {
      if (!Files.isRegularFile(file)) throw new UserError("config file " + file + " does not exist");
      try {
        Object o = YAML.readValue(file.toFile(), Object.class);
        if (!(o instanceof Map)) throw new UserError(file + ": expected a mapping of settings at the top level");
        return new Conf(new LinkedHashMap<>((Map<String, Object>) o), file.toString());
      } catch (IOException e) {
        throw new UserError(file + ": malformed YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
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

    /** The loop settings over an algorithm's defaults {@code d}. */
    TrainConfig trainConfig(TrainConfig d) {
      try {
        Schedule schedule = has("schedule") ? Schedule.parse(string("schedule", "")) : d.schedule();
        return d.toBuilder().lr(number("lr", d.lr())).maxSteps(integer("max_steps", d.maxSteps()))
            .warmupSteps(integer("warmup_steps", d.warmupSteps())).minLrRatio(number("min_lr_ratio", d.minLrRatio()))
            .schedule(schedule).gradAccumulation(integer("grad_accumulation", d.gradAccumulation()))
            .maxGradNorm(number("max_grad_norm", d.maxGradNorm())).weightDecay(number("weight_decay", d.weightDecay()))
            .autocast(has("autocast") ? DType.parse(string("autocast", "")) : d.autocast()).seed((long) number("seed", d.seed()))
            .logEvery(integer("log_every", d.logEvery())).saveEvery(integer("save_every", d.saveEvery()))
            .keepCheckpoints(integer("keep_checkpoints", d.keepCheckpoints())).resume(bool("resume", false)).build();
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

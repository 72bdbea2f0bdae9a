package org.rlhf4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j dpo}: direct preference optimisation on preference pairs. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = {"Direct preference optimisation (TRL DPOTrainer): sigmoid (default), ipo, cdpo or hinge loss.",
        "Data: JSONL/JSON {prompt, chosen, rejected} (plain text). The reference is the --model as loaded.",
        "Settings come from --config (YAML or JSON) and are overridden by flags; effective ones go to OUTPUT/"
            + Settings.FILE + ". Writes metrics.jsonl and checkpoint-<step>/ (Hugging Face layout)."})
public final class DpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("loss_type", "beta", "label_smoothing", "precompute_ref_log_probs");

  @Mixin Flags flags;
  @Option(names = "--loss-type", description = "sigmoid, ipo, cdpo or hinge (default sigmoid).") String lossType;
  @Option(names = "--beta", description = "Beta (default 0.1).") Double beta;
  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training.") boolean precompute;

  @Override public Integer call() throws java.io.IOException {
    Settings c = flags.conf(KEYS, true);
    c.put("loss_type", lossType);
    c.put("beta", beta);
    if (precompute) c.put("precompute_ref_log_probs", true);
    DpoConfig d = DpoConfig.defaults(c.path("output"));
    TrainConfig train = c.trainConfig(d.train());
    DpoConfig cfg = d.withVariant(variant(c)).withTrain(train).withBatchSize(c.integer("batch_size", d.batchSize()))
        .withMaxLength(c.integer("max_length", d.maxLength())).withPrecomputeReference(c.bool("precompute_ref_log_probs", false));
    var pairs = DataFiles.readPreferences(c.path("data"));
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"));
      c.write(train.outputDir());
      var r = DoctorWatch.around(train.outputDir(), train.maxSteps() / Math.max(1, train.logEvery()), System.err,
          () -> DpoTrainer.run(policy, policy.copy(DType.F32), pairs, tok, cfg));
      System.out.printf(Locale.ROOT, "dpo: final loss %.4f, rewards/margins %.4f; checkpoints in %s%n",
          r.train().finalLoss(), r.lastMetrics().getOrDefault("rewards/margins", Double.NaN), train.outputDir());
    }
    return 0;
  }

  private static DpoLoss.Variant variant(Settings c) {
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
    Settings conf(Set<String> commandKeys, boolean needsData) {
      Settings c = config == null ? new Settings(new LinkedHashMap<>(), "settings") : Settings.read(config);
      Set<String> known = new TreeSet<>(Settings.COMMON);
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
}

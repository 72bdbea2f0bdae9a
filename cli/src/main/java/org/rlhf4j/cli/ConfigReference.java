package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.grpo.GroupConfig;
import org.rlhf4j.training.kto.KtoConfig;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.KtoLoss;
import org.rlhf4j.training.ppo.PpoConfig;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.sft.SftOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting of the training commands (a flag, a {@code --config} key, or both) with its default taken from
 * the config records ({@link TrainConfig#defaults}, {@link SftOptions#defaults}, {@link DpoConfig#defaults}, ...)
 * and its description (the flag's, or {@link #KEY_DOCS} for keys without a flag). It is the footer of each
 * training command's {@code --help} and the generated page {@code docs/config.md} (a test keeps it up to date).
 */
final class ConfigReference {
  static final List<String> COMMANDS = List.of("pretrain", "sft", "reward", "dpo", "kto", "ppo", "rloo", "grpo", "best-of-n");
  private static final Path OUT = Path.of("OUTPUT");

  /** Descriptions of the keys that have no flag. */
  static final Map<String, String> KEY_DOCS = keyDocs();

  private ConfigReference() {}

  private static Map<String, String> keyDocs() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("warmup_steps", "Optimizer steps of linear learning-rate warm-up.");
    d.put("min_lr_ratio", "Final learning rate as a fraction of --lr (cosine/linear decay).");
    d.put("schedule", "Learning-rate schedule: cosine, linear or constant.");
    d.put("grad_accumulation", "Micro-batches accumulated per optimizer step.");
    d.put("max_grad_norm", "Gradient clipping norm (0 = off).");
    d.put("weight_decay", "AdamW weight decay.");
    d.put("autocast", "Compute dtype of the forward pass: f32, or bf16 where the hardware is fast at it.");
    d.put("log_every", "Optimizer steps per metrics.jsonl line.");
    d.put("eval_every", "Optimizer steps between held-out accuracy evaluations (--eval-data or eval_fraction; 0 = none "
        + "during training).");
    d.put("save_every", "Optimizer steps between checkpoints (the last step is always saved).");
    d.put("keep_checkpoints", "Checkpoints kept in the output folder (older ones are deleted).");
    d.put("overflow", "Examples longer than --max-length: truncate_prompt_left (keep the prompt's end) or drop.");
    d.put("completion_only", "Loss on completion tokens only (false: on every token).");
    d.put("reduction", "Loss reduction: token_mean (over all tokens) or sequence_mean (per example, then mean).");
    d.put("model_config", "A new Llama's shape when no --model is given: {hidden, intermediate, layers, heads, kv_heads, "
        + "max_positions}.");
    d.put("label_smoothing", "reward: label smoothing of the Bradley-Terry loss; dpo: see --label-smoothing.");
    d.put("center_rewards_coef", "Weight of the penalty on the mean reward squared (TRL center_rewards_coefficient).");
    d.put("margin", "Margin added to the Bradley-Terry loss.");
    d.put("loss_weights", "Weights of the listed loss types (TRL loss_weights).");
    d.put("kl_estimator", "KL estimator of the reward penalty: k1, k2 or k3.");
    d.put("adaptive_kl_target", "Target KL of Ziegler et al.'s adaptive controller (unset: fixed --kl-coef).");
    d.put("adaptive_kl_horizon", "Horizon of the adaptive KL controller.");
    d.put("num_ppo_epochs", "Passes over each rollout batch.");
    d.put("num_iterations", "grpo: passes over each rollout batch (TRL num_iterations).");
    d.put("num_mini_batches", "Optimizer steps per pass over a rollout batch.");
    d.put("missing_eos_penalty", "Subtracted from the score of responses without a stop token (0 = off).");
    d.put("cliprange", "PPO policy clip range.");
    d.put("epsilon", "rloo: clip range of the policy ratio (TRL epsilon); grpo: see --epsilon.");
    d.put("cliprange_value", "PPO value clip range.");
    d.put("vf_coef", "Weight of the value loss.");
    d.put("gamma", "GAE discount.");
    d.put("lam", "GAE lambda.");
    d.put("whiten_rewards", "Whiten rewards before GAE (advantages are always whitened).");
    d.put("value_detached", "ppo: the value loss trains the value head alone, not the policy's backbone (as TRL's separate value model).");
    d.put("value_lr_scale", "ppo: the value head's learning rate as a multiple of lr (OpenRLHF's critic / actor learning rates).");
    d.put("ref_dtype", "dtype of the frozen reference: f32, or bf16 to halve its cost.");
    d.put("scale_rewards", "grpo: divide advantages by the group's standard deviation.");
    d.put("num_generations", "Completions per prompt (see --k).");
    d.put("response_length", "Response length in tokens (see --max-new-tokens).");
    d.put("precompute_ref_log_probs", "Compute reference log-probs once before training (see --precompute-ref).");
    d.put("mask_truncated_completions", "See --mask-truncated.");
    return d;
  }

  /** One setting: its key, the flag that sets it (or null), its default, what it does. */
  record Entry(String key, String flag, Object dflt, String what) {}

  /** The settings of {@code command} in key order, defaults from its config records, descriptions from flags or {@link #KEY_DOCS}. */
  static List<Entry> entries(String command, CommandSpec spec) {
    Map<String, Object> defaults = defaults(command);
    Set<String> keys = new TreeSet<>(command.equals("best-of-n") ? BestOfNCommand.KNOWN : Settings.COMMON);
    keys.addAll(commandKeys(command));
    return keys.stream().map(k -> {
      OptionSpec o = spec.findOption("--" + k.replace('_', '-'));
      if (o == null) o = alias(spec, k);
      // blank when a key has neither a flag nor a KEY_DOCS entry: ConfigReferenceTest fails then (--help still works)
      String what = o != null ? String.join(" ", o.description()) : KEY_DOCS.getOrDefault(k, "");
      return new Entry(k, o == null ? null : o.longestName(), defaults.getOrDefault(k, "(none)"), what);
    }).toList();
  }

  private static OptionSpec alias(CommandSpec spec, String key) {
    String flag = switch (key) {
      case "response_length" -> "--max-new-tokens";
      case "num_generations" -> "--k";
      case "precompute_ref_log_probs" -> "--precompute-ref";
      case "mask_truncated_completions" -> "--mask-truncated";
      default -> null;
    };
    return flag == null ? null : spec.findOption(flag);
  }

  static Set<String> commandKeys(String command) {
    return switch (command) {
      case "pretrain" -> PretrainCommand.KEYS;
      case "sft" -> SftCommand.KEYS;
      case "reward" -> RewardCommand.KEYS;
      case "dpo" -> DpoCommand.KEYS;
      case "kto" -> KtoCommand.KEYS;
      case "ppo" -> PpoCommand.KEYS;
      case "rloo" -> RlooCommand.KEYS;
      case "grpo" -> GrpoCommand.KEYS;
      case "best-of-n" -> BestOfNCommand.KEYS;
      default -> throw new IllegalArgumentException("not a training command: " + command);
    };
  }

  /** Defaults as the command applies them: the loop's from its TrainConfig, the rest from its records. */
  static Map<String, Object> defaults(String command) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("model", "required" + (command.equals("pretrain") || command.equals("sft") ? " (pretrain: optional)" : ""));
    d.put("data", "required");
    d.put("output", "required");
    d.put("pii", "off");
    if (!command.equals("best-of-n")) {
      lora(d);
      d.put("device", "cpu");
    }
    switch (command) {
      case "pretrain" -> {
        loop(d, TrainConfig.defaults(OUT));
        d.put("batch_size", 8);
        d.put("seq_length", 256);
        d.put("tokenizer", "the --model folder");
        d.put("model_config", "{hidden: 64, intermediate: 4 x hidden, layers: 2, heads: 4, kv_heads: heads, max_positions: "
            + "max(256, seq_length)}");
      }
      case "sft" -> {
        loop(d, TrainConfig.defaults(OUT));
        SftOptions s = SftOptions.defaults();
        d.put("max_length", s.maxLength());
        d.put("batch_size", s.batchSize());
        d.put("overflow", s.overflow());
        d.put("packing", s.packing());
        d.put("completion_only", s.completionOnly());
        d.put("reduction", s.reduction());
        d.put("desirable_only", false);
      }
      case "reward" -> {
        loop(d, TrainConfig.defaults(OUT));
        RewardOptions r = RewardOptions.defaults();
        d.put("max_length", r.maxLength());
        d.put("batch_size", r.batchSize());
        d.put("overflow", r.overflow());
        d.put("label_smoothing", 0.0);
        d.put("center_rewards_coef", 0.0);
        d.put("margin", 0.0);
        d.put("eval_fraction", 0.0);
        d.put("split_seed", "(seed)");
        DpFlags.defaults(d);
        d.put("backbone", "(none: a reward head on --model)");
        d.put("train_layers", "all");
        d.put("pooling", "cls");
      }
      case "dpo" -> {
        DpoConfig c = DpoConfig.defaults(OUT);
        loop(d, c.train());
        d.put("max_length", c.maxLength());
        d.put("batch_size", c.batchSize());
        d.put("loss_type", "sigmoid");
        d.put("loss_weights", "1 each");
        d.put("beta", 0.1);
        d.put("label_smoothing", "cdpo/robust 0.1, exo_pair 1e-3, aot 0");
        d.put("simpo_gamma", 0.5);
        d.put("precompute_ref_log_probs", false);
        d.put("logprob_chunk_tokens", "0 (auto)");
        DpFlags.defaults(d);
      }
      case "kto" -> {
        KtoConfig c = KtoConfig.defaults(OUT);
        KtoLoss.Kto k = new KtoLoss.Kto();
        loop(d, c.train());
        d.put("max_length", c.maxLength());
        d.put("batch_size", c.batchSize());
        d.put("loss_type", "kto");
        d.put("beta", k.beta());
        d.put("desirable_weight", k.desirableWeight());
        d.put("undesirable_weight", k.undesirableWeight());
      }
      case "ppo" -> {
        PpoConfig c = PpoConfig.defaults(OUT);
        loop(d, c.train());
        d.put("max_steps", c.iterations());
        d.put("batch_size", c.batchSize());
        d.put("response_length", c.maxNewTokens());
        d.put("temperature", c.temperature());
        d.put("kl_coef", c.kl().value());
        d.put("kl_estimator", "k1");
        d.put("adaptive_kl_horizon", 10000);
        d.put("num_ppo_epochs", c.ppoEpochs());
        d.put("num_mini_batches", c.numMiniBatches());
        d.put("missing_eos_penalty", 0.0);
        d.put("cliprange", 0.2);
        d.put("cliprange_value", 0.2);
        d.put("vf_coef", 0.1);
        d.put("gamma", 1.0);
        d.put("lam", 0.95);
        d.put("whiten_rewards", false);
        d.put("value_detached", false);
        d.put("value_lr_scale", 1.0);
        d.put("ref_dtype", "f32");
      }
      case "rloo", "grpo" -> group(d, command.equals("grpo") ? GroupConfig.grpo(OUT) : GroupConfig.rloo(OUT), command.equals("grpo"));
      case "best-of-n" -> {
        d.put("n", 4);
        d.put("batch_size", "64 / n prompts");
        d.put("response_length", 53);
        d.put("temperature", 1.0);
        d.put("seed", 42);
      }
      default -> throw new IllegalArgumentException("not a training command: " + command);
    }
    return d;
  }

  /** LoRA is off unless lora_r is set; the rest apply only then. */
  private static void lora(Map<String, Object> d) {
    d.put("lora_r", "(none: every weight is trained)");
    d.put("lora_alpha", "2 x lora_r");
    d.put("lora_targets", "the model family's (PEFT's defaults)");
    d.put("lora_dropout", 0.0);
    d.put("use_rslora", false);
    d.put("gradient_checkpointing", false);
  }

  private static void loop(Map<String, Object> d, TrainConfig t) {
    Map<String, Object> m = t.toMap();
    d.putAll(m); // only the keys the command offers are shown
  }

  private static void group(Map<String, Object> d, GroupConfig g, boolean grpo) {
    loop(d, g.train());
    d.put("max_steps", g.iterations());
    d.put("batch_size", g.promptsPerIteration());
    d.put("num_generations", g.k());
    d.put("response_length", g.maxNewTokens());
    d.put("temperature", g.temperature());
    d.put(grpo ? "num_iterations" : "num_ppo_epochs", g.epochs());
    d.put("num_mini_batches", g.numMiniBatches());
    d.put("missing_eos_penalty", g.missingEosPenalty());
    d.put("epsilon", g.loss().epsLow());
    d.put("ref_dtype", "f32");
    if (grpo) {
      d.put("beta", g.loss().beta());
      d.put("loss_type", "dapo");
      d.put("epsilon_high", "epsilon");
      d.put("importance_sampling_level", "token");
      d.put("scale_rewards", true);
      d.put("mask_truncated_completions", false);
      d.put("soft_punish_cache", "off");
      d.put("dynamic_sampling", 0);
    } else {
      d.put("kl_coef", g.klCoef());
    }
  }

  /** The --help footer of a training command: every setting with its default. */
  static String footer(String command, CommandSpec spec) {
    StringBuilder b = new StringBuilder("%nSettings (flag or --config key: default; all keys: docs/config.md):%n");
    for (Entry e : entries(command, spec)) {
      b.append("  ").append(e.key()).append(e.flag() == null ? "" : " (" + e.flag() + ")").append(": ")
          .append(show(e.dflt()).replace("%", "%%")).append("%n");
    }
    return b.toString();
  }

  /** Installs the footers on {@code root}'s training commands. */
  static void install(CommandLine root) {
    for (String c : COMMANDS) {
      CommandLine sub = root.getSubcommands().get(c);
      if (sub != null) sub.getCommandSpec().usageMessage().footer(footer(c, sub.getCommandSpec()));
    }
  }

  /** docs/config.md: one table per training command. */
  static String markdown(CommandLine root) {
    StringBuilder b = new StringBuilder("# Settings of the training commands\n\n"
        + "Generated from the config records by `ConfigReference` (cli module); `ConfigReferenceTest` fails when this page is\n"
        + "out of date (regenerate: `mvn -pl cli test -Dtest=ConfigReferenceTest -Drlhf4j.updateDocs=true`).\n"
        + "Every setting is a `--config` key (YAML or JSON); flags override the file. The effective settings of a run are\n"
        + "written to `OUTPUT/" + Settings.FILE + "`, usable again with `--config`.\n\n"
        + "Exit codes: 0 success, 2 usage or input (a flag, a setting, a data file), 1 a runtime failure, 3 the run doctor\n"
        + "raised flags under `doctor --fail-on-flags`.\n");
    for (String c : COMMANDS) {
      CommandSpec spec = root.getSubcommands().get(c).getCommandSpec();
      b.append("\n## rlhf4j ").append(c).append("\n\n| key | flag | default | what |\n| --- | --- | --- | --- |\n");
      for (Entry e : entries(c, spec)) {
        b.append("| `").append(e.key()).append("` | ").append(e.flag() == null ? "" : "`" + e.flag() + "`").append(" | ")
            .append(cell(e.dflt())).append(" | ").append(cell(e.what())).append(" |\n");
      }
    }
    return b.toString();
  }

  private static String cell(Object v) {
    return show(v).replace("|", "\\|").replace("${DEFAULT-VALUE}", "");
  }

  /** A default as a user writes it: enums in lower case ("truncate_prompt_left"). */
  private static String show(Object v) {
    return v instanceof Enum<?> en ? en.name().toLowerCase(Locale.ROOT) : String.valueOf(v);
  }
}

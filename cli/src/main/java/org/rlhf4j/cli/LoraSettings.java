package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.lora.TargetModules;

/** The LoRA settings of a training command ({@code lora_r}, {@code lora_alpha}, {@code lora_targets}, ...): attach (the commands save through RunOutput). */
final class LoraSettings {
  private LoraSettings() {}

  /** The configuration when {@code lora_r} is set; errors name the setting. */
  static Optional<LoraConfig> config(Settings s, CausalLM model, Path modelDir) {
    if (!s.has("lora_r")) {
      for (String k : new String[] {"lora_alpha", "lora_targets", "lora_dropout", "use_rslora"}) {
        if (s.has(k)) throw new UserError("'" + k + "' is set but lora_r is not: give --lora-r to train LoRA adapters");
      }
      return Optional.empty();
    }
    int r = s.integer("lora_r", 8);
    try {
      TargetModules targets = s.has("lora_targets")
          ? TargetModules.parse(String.join(",", s.strings("lora_targets", java.util.List.of())))
          : defaults(model);
      return Optional.of(new LoraConfig(r, s.number("lora_alpha", 2.0 * r), s.number("lora_dropout", 0), targets, null,
          s.bool("use_rslora", false), modelDir == null ? null : modelDir.toString()));
    } catch (IllegalArgumentException e) {
      throw new UserError("--lora-*: " + e.getMessage());
    }
  }

  private static TargetModules defaults(CausalLM model) {
    var names = model.config().family().loraTargets();
    if (names.isEmpty()) throw new UserError("the " + model.config().family().modelType() + " family has no default LoRA targets: give --lora-targets");
    return new TargetModules.Names(names);
  }

  /**
   * Attaches fresh adapters to {@code model} when the settings ask for LoRA (and returns them), and switches on
   * gradient checkpointing per block when {@code gradient_checkpointing} is set (with or without adapters).
   */
  static Optional<LoraModel> attach(Settings s, CausalLM model, Path modelDir) {
    if (s.bool("gradient_checkpointing", false)) {
      model.gradientCheckpointing(true);
      Reporter.get().info("gradient checkpointing: each of the " + model.config().numLayers() + " blocks is recomputed in backward");
    }
    Optional<LoraConfig> cfg = config(s, model, modelDir);
    if (cfg.isEmpty()) return Optional.empty();
    LoraModel lora;
    try {
      lora = model.addAdapters(cfg.get(), (long) s.number("seed", 0));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    long base = model.config().parameterCount();
    Reporter.get().info(String.format(Locale.ROOT, "lora: r %d, alpha %s, %d modules, %d trainable parameters (%.3f%% of %d)",
        cfg.get().r(), cfg.get().alpha(), lora.modules().size(), lora.parameterCount(), 100.0 * lora.parameterCount() / base, base));
    return Optional.of(lora);
  }
}

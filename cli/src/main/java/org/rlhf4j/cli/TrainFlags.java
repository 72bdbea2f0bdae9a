package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * The flags every training command shares (picocli mixin); each overrides the same key of --config. A flag only
 * some commands use is not here: {@code --max-length} is {@link LengthFlag} (sft, reward, dpo, kto).
 */
public final class TrainFlags {
  @Option(names = "--config", description = "YAML or JSON file of settings (flags override it).") Path config;
  @Option(names = "--model", description = "Model folder (config.json, model.safetensors, tokenizer.json); pretrain: optional start.") Path model;
  @Option(names = "--data", description = "Data file (JSONL/JSON; pretrain: also .txt).") Path data;
  @Option(names = "--output", description = "Output folder (checkpoints, metrics.jsonl, final model).") Path output;
  @Option(names = "--max-steps", description = "Optimizer steps (ppo/rloo/grpo: iterations).") Integer maxSteps;
  @Option(names = "--lr", description = "Peak learning rate.") Double lr;
  @Option(names = "--batch-size", description = "Examples per batch (ppo/rloo/grpo: prompts per iteration).") Integer batchSize;
  @Option(names = "--seed", description = "Random seed.") Long seed;
  @Option(names = "--resume", description = "Continue from the latest checkpoint in the output folder.") boolean resume;
  @Option(names = "--pii", description = "Personal data in the training data: off (default), detect (report counts), redact "
      + "(mask it: <EMAIL>, <PERSON>, ...), reject (refuse the data).") String pii;

  @Option(names = "--device", description = "Where training runs: cpu (default), cuda, cuda:N, or auto (CUDA when "
      + "this libtorch has it, else cpu).") String device;
  @Option(names = "--lora-r", description = "Train LoRA adapters of this rank instead of every weight (PEFT layout; the "
      + "adapter folder is written at the top of --output).") Integer loraR;
  @Option(names = "--lora-alpha", description = "LoRA alpha (scaling alpha/r; default 2r).") Double loraAlpha;
  @Option(names = "--lora-targets", description = "Modules that get adapters: names (q_proj,v_proj), all-linear, or "
      + "regex:PATTERN (default: the family's, as PEFT: q_proj,v_proj for Llama/Qwen2, c_attn for GPT-2).") String loraTargets;
  @Option(names = "--lora-dropout", description = "Dropout on the adapters' input (default 0).") Double loraDropout;
  @Option(names = "--use-rslora", description = "Rank-stabilised LoRA: scaling alpha/sqrt(r).") boolean useRslora;
  @Option(names = "--gradient-checkpointing", description = "Recompute each transformer block's activations in backward "
      + "instead of keeping them: the same gradients, less memory, about one more forward per step.") boolean gradientCheckpointing;

  /** The config file's settings with the flags applied, checked against the known keys; {@code required} must be set. */
  Settings settings(Set<String> commandKeys, String... required) {
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
    if (resume) s.put("resume", true);
    s.put("pii", pii);
    s.put("lora_r", loraR);
    s.put("lora_alpha", loraAlpha);
    s.put("lora_targets", loraTargets);
    s.put("lora_dropout", loraDropout);
    if (useRslora) s.put("use_rslora", true);
    if (gradientCheckpointing) s.put("gradient_checkpointing", true);
    s.put("device", device);
    s.device(); // an unknown device, or CUDA without CUDA, fails here, naming --device
    for (String k : required) s.path(k); // one-line error naming the flag when missing
    return s;
  }
}

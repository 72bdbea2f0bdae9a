package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j lora}: LoRA adapter tools (PEFT layout). */
@Command(name = "lora", mixinStandardHelpOptions = true, subcommands = {LoraMergeCommand.class},
    description = {"LoRA adapters in Hugging Face PEFT layout (adapter_config.json + adapter_model.safetensors): "
        + "merge folds an adapter into its base model and writes a plain model folder.",
        "Training commands take --lora-r/--lora-alpha/--lora-targets; generate takes --adapter."})
public final class LoraCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }

  /** Attaches the adapter folder to {@code model}; a folder that is not a matching PEFT adapter is a one-line usage error. */
  static LoraModel loadAdapter(CausalLM model, Path dir) {
    if (!Files.isDirectory(dir)) throw new UserError("adapter folder " + dir + " does not exist");
    try {
      return model.loadAdapters(dir);
    } catch (CheckpointException | IllegalArgumentException e) {
      throw new UserError("--adapter " + e.getMessage());
    }
  }
}

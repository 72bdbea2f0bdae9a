package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j lora merge}: base model + PEFT adapter → a plain Hugging Face model folder (PEFT's merge_and_unload). */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Fold a LoRA adapter into its base model (W + scaling * B A) and write a plain model folder "
        + "(config.json, model.safetensors, the base's tokenizer files) that transformers loads without PEFT.")
public final class LoraMergeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Base model folder.") Path model;
  @Option(names = "--adapter", required = true, description = "PEFT adapter folder.") Path adapter;
  @Option(names = "--output", required = true, description = "Folder for the merged model.") Path output;

  @Override public Integer call() throws Exception {
    CausalLM lm = Settings.model(model); // float32: merged in full precision and written as float32
    LoraModel lora = LoraCommand.loadAdapter(lm, adapter);
    if (Files.isRegularFile(output.resolve("config.json"))) throw new UserError("--output " + output + " already holds a model");
    int modules = lora.modules().size();
    lm.mergeAndUnload().save(output);
    Tokenizer.copyFiles(model, output);
    System.out.printf("lora merge: %d modules merged (r %d, scaling %s); model saved to %s%n", modules, lora.config().r(),
        lora.config().scaling(), output);
    return 0;
  }
}

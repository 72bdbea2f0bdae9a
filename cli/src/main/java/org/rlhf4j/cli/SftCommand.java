package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.SftLoss;
import org.rlhf4j.training.sft.SftOptions;
import org.rlhf4j.training.sft.SftTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j sft}: supervised fine-tuning on prompt/completion or conversation data. */
@Command(name = "sft", mixinStandardHelpOptions = true,
    description = {"Supervised fine-tuning: loss on completion tokens (EOS appended), conversations through the model's "
        + "chat template.", "Data: JSONL/JSON {prompt, completion}, {messages} or ShareGPT {conversations}, gzip allowed.",
        "Settings come from --config (YAML or JSON), overridden by flags; the effective ones are written to OUTPUT/"
            + Settings.FILE + "."})
public final class SftCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("packing", "overflow", "completion_only", "reduction");

  @Mixin TrainFlags flags;
  @Option(names = "--packing", description = "Pack several examples into each row.") boolean packing;

  @Override public Integer call() {
    Settings s = flags.settings(KEYS, "data", "output");
    if (packing) s.put("packing", true);
    Path modelDir = s.path("model");
    TrainConfig cfg = s.trainConfig();
    SftOptions d = SftOptions.defaults();
    SftOptions opts = new SftOptions(s.integer("max_length", d.maxLength()), s.choice("overflow", Overflow.class, d.overflow()),
        s.integer("batch_size", d.batchSize()), s.bool("packing", false), s.bool("completion_only", true),
        s.choice("reduction", SftLoss.Reduction.class, d.reduction()));
    var data = PiiScreen.screen(s, "--data", DataFiles.readPromptCompletions(s.path("data")), PiiRecords::promptCompletions);
    try (Tokenizer tok = Settings.tokenizer(modelDir)) {
      CausalLM model = Settings.model(modelDir);
      LoraSettings.attach(s, model, modelDir);
      s.write(cfg.outputDir());
      TrainResult r = SftTrainer.train(model, tok, data, cfg, opts, modelDir);
      System.out.printf(Locale.ROOT, "sft: final loss %.4f; model saved to %s%n", r.finalLoss(), cfg.outputDir());
    }
    return 0;
  }
}

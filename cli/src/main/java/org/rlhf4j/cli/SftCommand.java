package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.UnpairedExample;
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
  static final Set<String> KEYS = Settings.union(Settings.OFFLINE,
      Set.of("packing", "overflow", "completion_only", "reduction", "desirable_only"));

  @Mixin TrainFlags flags;
  @Mixin LengthFlag length;
  @Option(names = "--packing", description = "Pack several examples into each row.") boolean packing;
  @Option(names = "--desirable-only", description = "Unpaired (KTO-style) data with a boolean label: train on the "
      + "label:true rows only (without it such data is refused).") boolean desirableOnly;

  @Override public Integer call() {
    Ranks.join("sft"); // launch / torchrun variables: this process is one data-parallel rank
    Settings s = flags.settings(KEYS, "data", "output");
    length.apply(s);
    if (packing) s.put("packing", true);
    Path modelDir = s.path("model");
    TrainConfig cfg = s.trainConfig();
    SftOptions d = SftOptions.defaults();
    SftOptions opts = new SftOptions(s.integer("max_length", d.maxLength()), s.choice("overflow", Overflow.class, d.overflow()),
        s.integer("batch_size", d.batchSize()), s.bool("packing", false), s.bool("completion_only", true),
        s.choice("reduction", SftLoss.Reduction.class, d.reduction()));
    if (desirableOnly) s.put("desirable_only", true);
    var data = PiiScreen.screen(s, "--data", examples(s.path("data"), s.bool("desirable_only", false)), PiiRecords::promptCompletions);
    try (Tokenizer tok = Settings.tokenizer(modelDir)) {
      CausalLM model = Settings.model(modelDir, s.device());
      LoraSettings.attach(s, model, modelDir);
      s.checkContext(model, "max_length");
      if (Ranks.writes()) s.write(cfg.outputDir());
      TrainResult r = SftTrainer.train(model, tok, data, cfg, opts, modelDir);
      if (Ranks.writes()) RunOutput.describe("sft", s, cfg.outputDir(), true);
      System.out.printf(Locale.ROOT, "sft: final loss %.4f; model saved to %s%n", r.finalLoss(), cfg.outputDir());
    }
    return 0;
  }

  /** Prompt/completion examples; unpaired rows only with desirable_only, keeping the label:true ones. */
  static List<PromptCompletion> examples(Path file, boolean desirableOnly) {
    if (!Files.isRegularFile(file)) throw new UserError("data file " + file + " does not exist");
    boolean unpaired = DataFiles.isUnpaired(file);
    if (unpaired && !desirableOnly) {
      throw new UserError(file + " holds unpaired (KTO-style) rows with a label: sft would learn the undesirable (label: false) "
          + "completions too; give --desirable-only to train on the label: true rows, or train on both with rlhf4j kto");
    }
    if (!unpaired && desirableOnly) throw new UserError("--desirable-only needs unpaired rows with a label, but " + file + " has none");
    if (!unpaired) return DataFiles.readPromptCompletions(file);
    List<UnpairedExample> rows = DataFiles.readUnpaired(file);
    List<PromptCompletion> kept = rows.stream().filter(UnpairedExample::desirable)
        .map(u -> new PromptCompletion(u.prompt(), u.completion())).toList();
    if (kept.isEmpty()) throw new UserError(file + ": no row has label: true");
    org.rlhf4j.common.Reporter.get().info("sft: --desirable-only: training on %d of %d rows (label: true)", kept.size(), rows.size());
    return kept;
  }
}

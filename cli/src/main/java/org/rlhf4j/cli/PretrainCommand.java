package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Text;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
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
            + "to OUTPUT/" + Settings.FILE + "."})
public final class PretrainCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("tokenizer", "model_config", "seq_length", "log_every");

  @Mixin TrainFlags flags;
  @Option(names = "--tokenizer", description = "Folder with tokenizer.json (default: the --model folder).") Path tokenizer;
  @Option(names = "--seq-length", description = "Block length in tokens (default 256).") Integer seqLength;

  @Override public Integer call() {
    Ranks.join("pretrain"); // launch / torchrun variables: this process is one data-parallel rank
    Settings s = flags.settings(KEYS, "data", "output");
    s.put("tokenizer", tokenizer);
    s.put("seq_length", seqLength);
    Path data = s.path("data");
    Path tokDir = s.has("tokenizer") ? s.path("tokenizer") : s.has("model") ? s.path("model") : null;
    if (tokDir == null) throw new UserError("give --tokenizer (or --model) so the corpus can be tokenized");
    TrainConfig cfg = s.trainConfig();
    try (Tokenizer tok = Settings.tokenizer(tokDir)) {
      CausalLM model = s.has("model") ? Settings.model(s.path("model"), s.device()) : newModel(s, tok);
      LoraSettings.attach(s, model, s.has("model") ? s.path("model") : null);
      s.checkContext(model, "seq_length");
      List<String> docs = PiiScreen.screen(s, "--data", documents(data), PiiRecords::texts);
      if (Ranks.writes()) s.write(cfg.outputDir());
      TrainResult r = Pretrainer.train(model, tok, docs, cfg, new PretrainOptions(s.integer("seq_length", 256),
          s.integer("batch_size", 8)), tokDir);
      if (Ranks.writes()) RunOutput.describe("pretrain", s, cfg.outputDir(), true);
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
    return CausalLM.random(cfg, s.integer("seed", 42), s.device());
  }
}

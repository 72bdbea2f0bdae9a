package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.Datasets;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.data.format.DataFormatException;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.RewardLoss;
import org.rlhf4j.training.reward.EncoderPooling;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j reward}: trains a Bradley-Terry reward model on preference pairs or rankings. */
@Command(name = "reward", mixinStandardHelpOptions = true,
    description = {"Trains a reward model (a score head on the model's last real token) with the Bradley-Terry loss.",
        "--model is a base/SFT model folder (a new score head is added) or a reward model folder (training continues).",
        "--backbone minilm (all-MiniLM-L6-v2, bundled) or a BERT-family folder instead: a classifier head on the pooled "
            + "output, saved as BertForSequenceClassification.",
        "Labelled texts (.tsv sentence<TAB>label as SST-2, .csv with text,label as IMDb; 1/Positive = good) train a "
            + "pointwise classifier whose logit is the reward (BCE); accuracy is then the fraction of texts on the right side of 0.",
        "Data: TRL {prompt, chosen, rejected} or {chosen, rejected}, HH transcripts, ShareGPT pairs, soft labels, or "
            + "rankings {prompt, responses} (all K(K-1)/2 pairs of a prompt in one batch).",
        "The output folder is a Hugging Face *ForSequenceClassification model (num_labels 1)."})
public final class RewardCommand implements Callable<Integer> {
  static final Set<String> KEYS = Settings.union(Settings.OFFLINE, DpFlags.with(Set.of("eval_data", "eval_fraction",
      "eval_every", "overflow", "label_smoothing", "center_rewards_coef", "margin", "backbone", "train_layers", "pooling",
      "split_seed")));

  @Mixin TrainFlags flags;
  @Mixin LengthFlag length;
  @Option(names = "--eval-data", description = "Held-out preference file for accuracy every eval_every steps and at the end.") Path evalData;
  @Option(names = "--eval-fraction", description = "Hold out this fraction of --data instead (default 0).") Double evalFraction;
  @Option(names = "--split-seed", description = "Seed of the --eval-fraction split (default --seed): models of other seeds on one split, "
      + "for eval-reward --split-seed to ensemble.") Long splitSeed;
  @Option(names = "--backbone", description = "minilm, or a BERT-family Hugging Face folder: an encoder reward model (instead of --model).") String backbone;
  @Option(names = "--train-layers", description = "Encoder reward models: train only the top N layers (+ pooler and head); default all.") Integer trainLayers;
  @Option(names = "--pooling", description = "Encoder reward models: what the pooler reads, cls (transformers' "
      + "BertForSequenceClassification), mean (the token mean, as sentence-transformers trained all-MiniLM-L6-v2) or "
      + "response (the mean over the response's tokens only, attention still over prompt + response: a pair shares its "
      + "prompt); mean and response are saved in config.json (rlhf4j_pooling), which rlhf4j reads back and transformers "
      + "ignores (it would pool [CLS]).") String pooling;
  @Mixin DpFlags dpFlags;

  @Override public Integer call() {
    Settings s = flags.settings(KEYS, "data", "output");
    length.apply(s);
    s.put("backbone", backbone);
    s.put("train_layers", trainLayers);
    s.put("pooling", pooling);
    s.put("eval_data", evalData);
    s.put("eval_fraction", evalFraction);
    s.put("split_seed", splitSeed);
    dpFlags.put(s);
    RewardOptions d = RewardOptions.defaults();
    RewardOptions opts;
    try {
      opts = new RewardOptions(s.integer("max_length", d.maxLength()), s.choice("overflow", Overflow.class, d.overflow()),
          s.integer("batch_size", d.batchSize()),
          new RewardLoss.Config(s.number("label_smoothing", 0), s.number("center_rewards_coef", 0)), s.number("margin", 0));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    TrainConfig cfg = s.trainConfig();
    RewardModel rm = model(s);
    if (s.has("train_layers")) {
      try {
        rm.trainableLayers(s.integer("train_layers", -1));
      } catch (IllegalArgumentException e) {
        throw new UserError("--train-layers: " + e.getMessage());
      }
    }
    lora(s, rm);
    Path data = s.path("data");
    if (isLabelled(data)) return labelled(s, rm, data, cfg, opts);
    List<Ranking> rankings = rankingsOrNull(data);
    if (rankings != null) rankings = PiiScreen.screen(s, "--data", rankings, PiiRecords::rankings);
    List<PreferencePair> pairs = rankings == null ? PiiScreen.screen(s, "--data", DataFiles.readPreferences(data), PiiRecords::preferences) : null;
    List<PreferencePair> eval = s.has("eval_data")
        ? PiiScreen.screen(s, "--eval-data", DataFiles.readPreferences(s.path("eval_data")), PiiRecords::preferences) : null;
    double fraction = s.number("eval_fraction", 0);
    if (fraction > 0 && pairs != null) {
      Datasets.Split<PreferencePair> split = Datasets.split(pairs, fraction, s.integer("split_seed", (int) cfg.seed()));
      pairs = split.train();
      eval = split.test();
    }
    s.write(cfg.outputDir());
    if (DpFlags.on(s) && rankings != null) throw new UserError("DP-SGD trains on preference pairs; --data holds rankings");
    DpSgdConfig dp = pairs == null ? null : DpFlags.config(s, "reward", pairs.size(), opts.batchSize(), cfg);
    if (dp != null) RewardTrainer.trainPrivately(rm, pairs, cfg, opts, dp, eval);
    else if (rankings != null) RewardTrainer.trainRankings(rm, rankings, cfg, opts, eval);
    else RewardTrainer.train(rm, pairs, cfg, opts, eval);
    if (eval != null) {
      RewardModel.Accuracy acc = rm.pairwiseAccuracy(eval);
      org.rlhf4j.data.LengthBaseline.Result shorter = org.rlhf4j.data.LengthBaseline.shorterWins(eval);
      System.out.printf(Locale.ROOT, "reward: held-out pairwise accuracy %.4f on %d pairs (\"shorter answer wins\" baseline %.4f)%n",
          acc.accuracy(), acc.n(), shorter.accuracy());
    }
    RunOutput.describe("reward", s, cfg.outputDir(), false);
    System.out.println("reward: model saved to " + cfg.outputDir());
    return 0;
  }

  private static EncoderPooling pooling(Settings s) {
    try {
      return EncoderPooling.parse(s.string("pooling", "cls"), "--pooling");
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The reward model to train: a new one on --backbone, or --model (a base/SFT model, or a reward model to continue). */
  static RewardModel model(Settings s) {
    org.rlhf4j.runtime.Device device = s.device();
    if (s.has("backbone") && s.has("model")) throw new UserError("give --model or --backbone, not both");
    long seed = s.integer("seed", 42);
    if (s.has("pooling") && !s.has("backbone")) throw new UserError("--pooling applies to a new encoder reward model (--backbone)");
    if (s.has("backbone")) {
      String b = s.string("backbone", "");
      EncoderPooling pool = pooling(s);
      if (b.equalsIgnoreCase("minilm")) return RewardModel.init(org.rlhf4j.models.bert.BertEncoder.miniLm(device), pool, seed);
      Path dir = Path.of(b);
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw new UserError("--backbone: '" + b + "' is neither minilm nor a folder with config.json (a BERT-family model)");
      }
      if (isRewardModel(dir)) {
        if (s.has("pooling")) throw new UserError("--pooling: " + dir + " is a reward model already (its config.json says how it pools)");
        return RewardModel.load(dir, device);
      }
      RewardModel rm = RewardModel.init(dir, seed, device);
      if (!rm.describe().startsWith("Bert")) throw new UserError("--backbone: " + dir + " is not a BERT-family encoder (use --model)");
      return pool == EncoderPooling.CLS ? rm : RewardModel.init(org.rlhf4j.models.bert.BertLoader.load(dir, device), pool, seed);
    }
    Path modelDir = s.path("model");
    if (!Files.isRegularFile(modelDir.resolve("config.json"))) throw new UserError("model folder " + modelDir + " has no config.json");
    RewardModel rm = isRewardModel(modelDir) ? RewardModel.load(modelDir, device) : RewardModel.init(modelDir, seed, device);
    if (!rm.hasTokenizer()) throw new UserError("no tokenizer.json in " + modelDir);
    return rm;
  }

  /** LoRA adapters on a causal reward model; an encoder reward model takes none (--train-layers instead). */
  private static void lora(Settings s, RewardModel rm) {
    if (!rm.isEncoder()) {
      LoraSettings.attach(s, rm.backbone(), s.path("model"));
      return;
    }
    if (s.bool("gradient_checkpointing", false)) {
      throw new UserError("--gradient-checkpointing: supported on causal reward models (--model) only, not on an encoder ("
          + rm.describe() + ")");
    }
    for (String k : new String[] {"lora_r", "lora_alpha", "lora_targets", "lora_dropout", "use_rslora"}) {
      if (s.has(k)) {
        throw new UserError("--lora-r: LoRA adapters are supported on causal reward models (--model) only, not on an encoder ("
            + rm.describe() + "); train its top layers with --train-layers K instead");
      }
    }
  }

  static boolean isLabelled(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".tsv") || n.endsWith(".csv");
  }

  /** Pointwise training on labelled texts; held out: --eval-data (labelled) or --eval-fraction. */
  private static int labelled(Settings s, RewardModel rm, Path data, TrainConfig cfg, RewardOptions opts) {
    if (DpFlags.on(s)) throw new UserError("DP-SGD trains on preference pairs; --data holds labelled texts");
    List<org.rlhf4j.data.LabelledText> texts = readLabelled(data, "--data"), eval = null;
    if (s.has("eval_data")) eval = readLabelled(s.path("eval_data"), "--eval-data");
    double fraction = s.number("eval_fraction", 0);
    if (fraction > 0) {
      Datasets.Split<org.rlhf4j.data.LabelledText> split = Datasets.split(texts, fraction, s.integer("split_seed", (int) cfg.seed()));
      texts = split.train();
      eval = split.test();
    }
    s.write(cfg.outputDir());
    System.err.printf(Locale.ROOT, "reward: %s, %d labelled texts%n", rm.describe(), texts.size());
    RewardTrainer.trainLabelled(rm, texts, cfg, opts, eval);
    if (eval != null) {
      System.out.printf(Locale.ROOT, "reward: held-out accuracy %.4f on %d texts%n", rm.classifierAccuracy(eval), eval.size());
    }
    System.out.println("reward: model saved to " + cfg.outputDir());
    return 0;
  }

  private static List<org.rlhf4j.data.LabelledText> readLabelled(Path file, String flag) {
    if (!isLabelled(file)) throw new UserError(flag + ": " + file + " is not a labelled-text file (.tsv or .csv) like --data");
    try {
      return org.rlhf4j.data.format.LabelledTexts.read(file);
    } catch (DataFormatException e) {
      throw new UserError(flag + ": " + e.getMessage());
    }
  }

  static boolean isRewardModel(Path dir) {
    try {
      return Files.readString(dir.resolve("config.json")).contains("ForSequenceClassification");
    } catch (java.io.IOException e) {
      throw new UserError("cannot read " + dir.resolve("config.json") + ": " + e.getMessage());
    }
  }

  /** The file as rankings when it is a ranking file, else null (then it is read as pairs). */
  private static List<Ranking> rankingsOrNull(Path data) {
    try {
      List<Ranking> r = DataFiles.readRankings(data);
      return r.stream().allMatch(x -> x.size() == 2) ? null : r;
    } catch (DataFormatException e) {
      return null;
    }
  }
}

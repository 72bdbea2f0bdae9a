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
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.RewardLoss;
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
        "Data: TRL {prompt, chosen, rejected} or {chosen, rejected}, HH transcripts, ShareGPT pairs, soft labels, or "
            + "rankings {prompt, responses} (all K(K-1)/2 pairs of a prompt in one batch).",
        "The output folder is a Hugging Face *ForSequenceClassification model (num_labels 1)."})
public final class RewardCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("eval_data", "eval_fraction", "overflow", "label_smoothing", "center_rewards_coef",
      "margin");

  @Mixin TrainFlags flags;
  @Option(names = "--eval-data", description = "Held-out preference file for accuracy every eval_every steps and at the end.") Path evalData;
  @Option(names = "--eval-fraction", description = "Hold out this fraction of --data instead (default 0).") Double evalFraction;

  @Override public Integer call() {
    Settings s = flags.settings(KEYS, "data", "output");
    s.put("eval_data", evalData);
    s.put("eval_fraction", evalFraction);
    Path modelDir = s.path("model");
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
    if (!Files.isRegularFile(modelDir.resolve("config.json"))) throw new UserError("model folder " + modelDir + " has no config.json");
    RewardModel rm = isRewardModel(modelDir) ? RewardModel.load(modelDir) : RewardModel.init(modelDir, s.integer("seed", 42));
    if (!rm.hasTokenizer()) throw new UserError("no tokenizer.json in " + modelDir);
    Path data = s.path("data");
    List<Ranking> rankings = rankingsOrNull(data);
    if (rankings != null) rankings = PiiScreen.screen(s, "--data", rankings, PiiRecords::rankings);
    List<PreferencePair> pairs = rankings == null ? PiiScreen.screen(s, "--data", DataFiles.readPreferences(data), PiiRecords::preferences) : null;
    List<PreferencePair> eval = s.has("eval_data")
        ? PiiScreen.screen(s, "--eval-data", DataFiles.readPreferences(s.path("eval_data")), PiiRecords::preferences) : null;
    double fraction = s.number("eval_fraction", 0);
    if (fraction > 0 && pairs != null) {
      Datasets.Split<PreferencePair> split = Datasets.split(pairs, fraction, cfg.seed());
      pairs = split.train();
      eval = split.test();
    }
    s.write(cfg.outputDir());
    if (rankings != null) RewardTrainer.trainRankings(rm, rankings, cfg, opts, eval);
    else RewardTrainer.train(rm, pairs, cfg, opts, eval);
    if (eval != null) {
      RewardModel.Accuracy acc = rm.pairwiseAccuracy(eval);
      System.out.printf(Locale.ROOT, "reward: held-out pairwise accuracy %.4f on %d pairs%n", acc.accuracy(), acc.n());
    }
    System.out.println("reward: model saved to " + cfg.outputDir());
    return 0;
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

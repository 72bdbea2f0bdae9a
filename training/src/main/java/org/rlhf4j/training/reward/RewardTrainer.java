package org.rlhf4j.training.reward;

import org.rlhf4j.training.dp.DpSgd;
import org.rlhf4j.training.dp.DpSgdConfig;

import org.rlhf4j.common.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.LabelledText;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.Evaluator;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loop.ModelCheckpoint;

/**
 * Trains a {@link RewardModel} with the Bradley-Terry loss on preference pairs (soft labels from
 * {@code chosenProbability}) or K-way rankings (all K(K-1)/2 pairs of a prompt in one batch).
 * Logs loss, accuracy, mean margin and reward mean/std; with {@code evalPairs} and
 * {@code cfg.evalEvery() > 0} also held-out pairwise accuracy. The final model is saved in
 * {@code cfg.outputDir()} as a Hugging Face sequence classifier.
 */
public final class RewardTrainer {
  /** With LoRA: the adapter folder inside the output (PEFT's SEQ_CLS layout, the score head in its safetensors). */
  public static final String ADAPTER_DIR = "adapter";

  private RewardTrainer() {}

  /** @param evalPairs held-out pairs for periodic accuracy, or null */
  public static TrainResult train(RewardModel rm, List<PreferencePair> pairs, TrainConfig cfg, RewardOptions opts,
      List<PreferencePair> evalPairs) {
    return run(rm, pairs, (p, e) -> Group.of(p, e, opts.lengthPolicy()), "pairs", cfg, opts, evalPairs, null);
  }

  /**
   * DP-SGD ({@link DpSgd}): Poisson sampling with expected batch {@code opts.batchSize()} pairs, each pair's gradient
   * clipped and noised as {@code dp} says (its dataset size and expected batch are taken from the data and
   * {@code opts}); ε logged as {@code dp/epsilon} and written beside the model ({@code privacy.json}); the loop's own
   * clipping is off (the noisy gradient is not clipped again).
   */
  public static TrainResult trainPrivately(RewardModel rm, List<PreferencePair> pairs, TrainConfig cfg, RewardOptions opts,
      DpSgdConfig dp, List<PreferencePair> evalPairs) {
    return run(rm, pairs, (p, e) -> Group.of(p, e, opts.lengthPolicy()), "pairs", cfg, opts, evalPairs, dp);
  }

  /** Rankings (best first), each expanded to all its pairs within one batch. */
  public static TrainResult trainRankings(RewardModel rm, List<Ranking> rankings, TrainConfig cfg, RewardOptions opts,
      List<PreferencePair> evalPairs) {
    return run(rm, rankings, (r, e) -> Group.of(r, e, opts.lengthPolicy()), "rankings", cfg, opts, evalPairs, null);
  }

  /**
   * The token-level entry point: groups already tokenised (e.g. {@link Group#pair} of prompt + response rows).
   *
   * @param evalGroups held-out groups for periodic accuracy, or null
   */
  public static TrainResult trainGroups(RewardModel rm, List<Group> groups, TrainConfig cfg, RewardOptions opts,
      List<Group> evalGroups) {
    if (groups.isEmpty()) throw new IllegalArgumentException("reward: no training pairs");
    Evaluator eval = evalGroups == null || evalGroups.isEmpty() ? null : () -> Map.of("accuracy", rm.accuracy(evalGroups));
    return fit(rm, groups, rm.padId(), cfg, opts, eval, null);
  }

  /** {@link #trainGroups} with DP-SGD, as {@link #trainPrivately} (one group is one example: clipped on its own). */
  public static TrainResult trainGroupsPrivately(RewardModel rm, List<Group> groups, TrainConfig cfg, RewardOptions opts,
      DpSgdConfig dp, List<Group> evalGroups) {
    if (groups.isEmpty()) throw new IllegalArgumentException("reward: no training pairs");
    if (dp == null) throw new IllegalArgumentException("DP-SGD settings are required");
    Evaluator eval = evalGroups == null || evalGroups.isEmpty() ? null : () -> Map.of("accuracy", rm.accuracy(evalGroups));
    return fit(rm, groups, rm.padId(), cfg, opts, eval, dp);
  }

  /**
   * Pointwise training on binary-labelled texts (e.g. sentiment: 1 positive, 0 negative): the reward is the logit of
   * the positive class, trained with BCE ({@link org.rlhf4j.training.loss.ClassifierLoss}); label smoothing from
   * {@code opts.loss()}. Logs loss and accuracy; with {@code evalTexts} held-out accuracy every eval_every steps.
   * Each text is scored as a response to an empty prompt. Batches hold texts of similar length
   * ({@link BatchSampler#groupedByLength}): short sentences then pad to their own length, not a long review's.
   */
  public static TrainResult trainLabelled(RewardModel rm, List<LabelledText> texts, TrainConfig cfg, RewardOptions opts,
      List<LabelledText> evalTexts) {
    if (texts.isEmpty()) throw new IllegalArgumentException("reward: no labelled texts");
    LengthPolicy policy = opts.lengthPolicy();
    List<Row> rows = new ArrayList<>(texts.size());
    float[] labels = new float[texts.size()];
    double eps = opts.loss().labelSmoothing();
    for (int i = 0; i < texts.size(); i++) {
      rows.add(rm.row(Content.text(""), Content.text(texts.get(i).text()), policy));
      labels[i] = (float) (texts.get(i).label() == 1 ? 1 - eps : eps);
    }
    Evaluator eval = evalTexts == null || evalTexts.isEmpty() ? null : () -> Map.of("accuracy", rm.classifierAccuracy(evalTexts));
    BatchSampler sampler = BatchSampler.groupedByLength(rows.stream().mapToInt(Row::length).toArray(), opts.batchSize(), cfg.seed());
    rm.requiresGrad(true).maxLength(opts.maxLength());
    ModelCheckpoint io = checkpoint(rm);
    TrainResult r = new Trainer(cfg, rm.trainable(), new LabelStep(rm, rows, labels, sampler), sampler, io, eval).run();
    finish(rm, io, cfg.outputDir());
    return r;
  }

  private interface Grouper<T> {
    Group apply(T item, RewardModel rm);
  }

  private static <T> TrainResult run(RewardModel rm, List<T> data, Grouper<T> grouper, String what, TrainConfig cfg,
      RewardOptions opts, List<PreferencePair> evalPairs, DpSgdConfig dp) {
    if (data.isEmpty()) throw new IllegalArgumentException("reward: no training " + what);
    List<Group> groups = groups(data, grouper, rm, what, opts.lengthPolicy());
    Evaluator eval = evalPairs == null || evalPairs.isEmpty() ? null
        : () -> Map.of("accuracy", rm.pairwiseAccuracy(evalPairs).accuracy());
    return fit(rm, groups, rm.padId(), cfg, opts, eval, dp);
  }

  private static TrainResult fit(RewardModel rm, List<Group> groups, int padId, TrainConfig cfg, RewardOptions opts,
      Evaluator eval, DpSgdConfig dpCfg) {
    BatchSampler sampler = new BatchSampler(groups.size(), opts.batchSize(), cfg.seed(), true);
    rm.requiresGrad(true).maxLength(opts.maxLength());
    ModelCheckpoint io = checkpoint(rm);
    RewardStep step = new RewardStep(rm, groups, sampler, padId, opts);
    DpSgd dp = dpCfg == null ? null : new DpSgd(dpCfg.forData(groups.size(), opts.batchSize(), cfg.seed()));
    TrainResult r = dp == null ? new Trainer(cfg, rm.trainable(), step, sampler, io, eval).run()
        : dp.train(cfg, rm.trainable(), step::on, io, eval);
    finish(rm, io, cfg.outputDir());
    if (dp != null) dp.writeCard(cfg.outputDir(), r.step());
    return r;
  }

  /** The model's checkpoint: the whole classifier, or with LoRA the SEQ_CLS adapter folder (the score head in it). */
  private static ModelCheckpoint checkpoint(RewardModel rm) {
    return rm.adapters().isEmpty() ? ModelCheckpoint.of(rm, rm::save) : RewardAdapterIO.checkpoint(rm);
  }

  /** Gradients off; with LoRA the SEQ_CLS adapter folder (score head included) in adapter/, then the merged classifier at the top. */
  private static void finish(RewardModel rm, ModelCheckpoint io, Path out) {
    rm.requiresGrad(false);
    if (rm.adapters().isPresent()) {
      io.withTokenizer(rm.tokenizerDir()).saveFinal(out.resolve(ADAPTER_DIR));
      rm.backbone().mergeAndUnload();
    }
    rm.save(out);
  }

  private static <T> List<Group> groups(List<T> data, Grouper<T> grouper, RewardModel rm, String what, LengthPolicy policy) {
    List<Group> out = new ArrayList<>(data.size());
    int truncated = 0;
    for (T item : data) {
      Group g = grouper.apply(item, rm);
      if (g == null) continue;
      out.add(g);
      if (g.truncated()) truncated++;
    }
    int dropped = data.size() - out.size();
    if (dropped > 0) Reporter.get().info("reward: dropped %d of %d %s longer than %d tokens", dropped, data.size(), what, policy.maxLength());
    if (truncated > 0) Reporter.get().info("reward: %d of %d %s longer than %d tokens had their prompt truncated from the left",
        truncated, data.size(), what, policy.maxLength());
    if (out.isEmpty()) throw new IllegalArgumentException("reward: every one of the " + what + " is longer than " + policy.maxLength() + " tokens");
    return out;
  }
}

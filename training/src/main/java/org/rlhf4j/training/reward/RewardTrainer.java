package org.rlhf4j.training.reward;

import org.rlhf4j.common.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.loop.CheckpointIO;
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
  private RewardTrainer() {}

  /** @param evalPairs held-out pairs for periodic accuracy, or null */
  public static TrainResult train(RewardModel rm, List<PreferencePair> pairs, TrainConfig cfg, RewardOptions opts,
      List<PreferencePair> evalPairs) {
    return run(rm, pairs, (p, e) -> Group.of(p, e, opts.lengthPolicy()), "pairs", cfg, opts, evalPairs);
  }

  /** Rankings (best first), each expanded to all its pairs within one batch. */
  public static TrainResult trainRankings(RewardModel rm, List<Ranking> rankings, TrainConfig cfg, RewardOptions opts,
      List<PreferencePair> evalPairs) {
    return run(rm, rankings, (r, e) -> Group.of(r, e, opts.lengthPolicy()), "rankings", cfg, opts, evalPairs);
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
    return fit(rm, groups, rm.padId(), cfg, opts, eval);
  }

  private interface Grouper<T> {
    Group apply(T item, Encoder enc);
  }

  private static <T> TrainResult run(RewardModel rm, List<T> data, Grouper<T> grouper, String what, TrainConfig cfg,
      RewardOptions opts, List<PreferencePair> evalPairs) {
    if (data.isEmpty()) throw new IllegalArgumentException("reward: no training " + what);
    Encoder enc = rm.encoder();
    List<Group> groups = groups(data, grouper, enc, what, opts.lengthPolicy());
    Evaluator eval = evalPairs == null || evalPairs.isEmpty() ? null
        : () -> Map.of("accuracy", rm.pairwiseAccuracy(evalPairs).accuracy());
    return fit(rm, groups, rm.padId(), cfg, opts, eval);
  }

  private static TrainResult fit(RewardModel rm, List<Group> groups, int padId, TrainConfig cfg, RewardOptions opts,
      Evaluator eval) {
    BatchSampler sampler = new BatchSampler(groups.size(), opts.batchSize(), cfg.seed(), true);
    rm.requiresGrad(true).maxLength(opts.maxLength());
    CheckpointIO io = ModelCheckpoint.of(rm, rm::save);
    TrainResult r = new Trainer(cfg, rm, new RewardStep(rm, groups, sampler, padId, opts), sampler, io, eval).run();
    rm.requiresGrad(false);
    rm.save(cfg.outputDir());
    return r;
  }

  private static <T> List<Group> groups(List<T> data, Grouper<T> grouper, Encoder enc, String what, LengthPolicy policy) {
    List<Group> out = new ArrayList<>(data.size());
    int truncated = 0;
    for (T item : data) {
      Group g = grouper.apply(item, enc);
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

package org.rlhf4j.training.reward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loss.RewardLoss;

/**
 * Bradley-Terry step: every response of the micro-batch's groups in one forward, rewards at the
 * last real token, then the loss over all comparisons. Soft targets are used when any pair in the
 * batch has a probability other than 1.
 */
final class RewardStep implements TrainStep {
  private final RewardModel rm;
  private final List<Group> groups;
  private final BatchSampler sampler;
  private final int padId;
  private final RewardOptions opts;

  RewardStep(RewardModel rm, List<Group> groups, BatchSampler sampler, int padId, RewardOptions opts) {
    this.rm = rm;
    this.groups = groups;
    this.sampler = sampler;
    this.padId = padId;
    this.opts = opts;
  }

  @Override public StepResult step(int microBatchIndex) { return on(sampler.next()); }

  /** The loss over the given groups (DP-SGD runs it on one group at a time). */
  StepResult on(List<Integer> groupIndices) {
    List<Row> rows = new ArrayList<>();
    List<Long> c = new ArrayList<>(), r = new ArrayList<>();
    List<Double> p = new ArrayList<>();
    for (int gi : groupIndices) {
      Group g = groups.get(gi);
      int offset = rows.size();
      rows.addAll(g.responses());
      for (int k = 0; k < g.pairs(); k++) {
        c.add((long) offset + g.chosen()[k]);
        r.add((long) offset + g.rejected()[k]);
        p.add(g.prob()[k]);
      }
    }
    Batch b = Batch.collate(rows, padId, rm.device());
    Tensor rewards = rm.rewards(b); // (N)
    Tensor rc = rewards.index_select(0, Tensors.longs(c.stream().mapToLong(Long::longValue).toArray(), rm.device())); // (P)
    Tensor rr = rewards.index_select(0, Tensors.longs(r.stream().mapToLong(Long::longValue).toArray(), rm.device())); // (P)
    Tensor margin = opts.margin() > 0 ? constant(opts.margin(), p.size()) : null;                                   // (P)
    Tensor prob = p.stream().allMatch(v -> v == 1.0) ? null : floats(p);                                            // (P)
    RewardLoss.Result res = RewardLoss.compute(opts.loss(), rc, rr, margin, prob);
    return new StepResult(res.loss(), metrics(res.metrics()), b.tokens());
  }

  private Tensor constant(double v, int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, (float) v);
    return Tensors.floats(a, rm.device(), n);
  }

  private Tensor floats(List<Double> v) {
    float[] a = new float[v.size()];
    for (int i = 0; i < a.length; i++) a[i] = v.get(i).floatValue();
    return Tensors.floats(a, rm.device(), a.length);
  }

  static Map<String, Double> metrics(RewardLoss.Metrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", m.accuracy());
    out.put("margin", m.margin());
    out.put("reward_mean", m.rewardMean());
    out.put("reward_std", m.rewardStd());
    out.put("chosen_mean", m.chosenMean());
    out.put("rejected_mean", m.rejectedMean());
    return out;
  }
}

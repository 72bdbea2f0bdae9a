package org.rlhf4j.training.reward;

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
import org.rlhf4j.training.loss.ClassifierLoss;

/** Pointwise step: the micro-batch's texts in one forward, BCE of their rewards (logits) against the labels. */
final class LabelStep implements TrainStep {
  private final RewardModel rm;
  private final List<Row> rows;
  private final float[] labels;
  private final BatchSampler sampler;

  LabelStep(RewardModel rm, List<Row> rows, float[] labels, BatchSampler sampler) {
    this.rm = rm;
    this.rows = rows;
    this.labels = labels;
    this.sampler = sampler;
  }

  @Override public StepResult step(int microBatchIndex) {
    List<Integer> idx = sampler.next();
    List<Row> batchRows = idx.stream().map(rows::get).toList();
    float[] y = new float[idx.size()];
    for (int i = 0; i < y.length; i++) y[i] = labels[idx.get(i)];
    Batch b = Batch.collate(batchRows, rm.padId(), rm.device());
    Tensor logits = rm.rewards(b);                                          // (B)
    ClassifierLoss.Result res = ClassifierLoss.compute(logits, Tensors.floats(y, rm.device(), y.length));
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", res.metrics().accuracy());
    m.put("reward_mean", res.metrics().logitMean());
    m.put("positive_mean", res.metrics().positiveMean());
    m.put("negative_mean", res.metrics().negativeMean());
    return new StepResult(res.loss(), m, b.tokens());
  }
}

package org.rlhf4j.training.pretrain;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loss.SftLoss;

/**
 * The causal-LM training step shared by pre-training and SFT: next-token cross-entropy on the
 * target tokens of each row ({@link Row#lossMask()}: all tokens for pre-training, completion tokens
 * for SFT). Logs {@code token_accuracy}.
 */
public final class LmStep implements TrainStep {
  private final CausalLM model;
  private final List<Row> rows;
  private final BatchSampler sampler;
  private final int padId;
  private final SftLoss.Config loss;

  public LmStep(CausalLM model, List<Row> rows, BatchSampler sampler, int padId, SftLoss.Config loss) {
    this.model = model;
    this.rows = List.copyOf(rows);
    this.sampler = sampler;
    this.padId = padId;
    this.loss = loss;
  }

  @Override public StepResult step(int microBatchIndex) {
    Batch b = Batch.collate(sampler.next().stream().map(rows::get).toList(), padId, model.device());
    Tensor logits = model.forward(b.ids(), b.maskOrNull()).logits(); // (B, T, V)
    SftLoss.Result r = SftLoss.compute(loss, logits, b.ids(), b.lossMask());
    double acc = r.metrics().tokenAccuracy();
    return new StepResult(r.loss(), Map.of("token_accuracy", acc, "mean_token_accuracy", acc), b.tokens()); // ours, TRL's
  }
}

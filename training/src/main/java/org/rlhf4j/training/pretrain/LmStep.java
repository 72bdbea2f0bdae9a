package org.rlhf4j.training.pretrain;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.TokenLogprobs;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loss.SftLoss;

/**
 * The causal-LM training step shared by pre-training and SFT: next-token cross-entropy on the
 * target tokens of each row ({@link Row#lossMask()}: all tokens for pre-training, completion tokens
 * for SFT). Logs {@code token_accuracy}. The log-probs come from {@link TokenLogprobs} in chunks of about 64 MB of
 * logits (recomputed in backward when there is more than one chunk), so a large vocabulary's (B, T, V) logits never
 * exist at once.
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
    long t = b.ids().size(1);
    Tensor hidden = model.hidden(b.ids(), b.maskOrNull()).narrow(1, 0, t - 1); // (B, T-1, C)
    TokenLogprobs.Scored s = TokenLogprobs.computeWithArgmax(hidden, model.lmHeadWeight(), b.ids().narrow(1, 1, t - 1), 0); // (B, T-1) each, never the (B, T, V) logits
    SftLoss.Result r = SftLoss.fromLogprobs(loss, s.logprobs(), s.argmax(), b.ids(), b.lossMask());
    double acc = r.metrics().tokenAccuracy();
    return new StepResult(r.loss(), Map.of("token_accuracy", acc, "mean_token_accuracy", acc), b.tokens()); // ours, TRL's
  }
}

package org.rlhf4j.training.pretrain;

import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.training.batch.BatchSampler;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.SftLoss;

/**
 * Next-token training on token rows, the token-level entry point of pre-training and SFT: each row's
 * {@link Row#lossMask()} says which tokens are targets (all of them for pre-training, the completion for SFT).
 * Shuffled batches, {@link LmStep} on the one loop, checkpoints and the final model as Hugging Face folders in
 * {@code cfg.outputDir()} (with the tokenizer files of {@code tokenizerDir}, when given).
 *
 * <pre>{@code
 * TrainResult r = LmTraining.train(model, rows, 32, tok.padId(), SftLoss.Config.DEFAULT, cfg, modelDir);
 * }</pre>
 */
public final class LmTraining {
  private LmTraining() {}

  /** Trains {@code model} in place (gradients on during training only) and saves it into {@code cfg.outputDir()}. */
  public static TrainResult train(CausalLM model, List<Row> rows, int batchSize, int padId, SftLoss.Config loss,
      TrainConfig cfg, Path tokenizerDir) {
    if (rows.isEmpty()) throw new IllegalArgumentException("no training rows");
    BatchSampler sampler = new BatchSampler(rows.size(), batchSize, cfg.seed(), true).shardForThisRank(); // data-parallel: this rank's share
    model.requiresGrad(true);
    ModelCheckpoint io = ModelCheckpoint.of(model).withTokenizer(tokenizerDir);
    TrainResult r = new Trainer(cfg, model.trainable(), new LmStep(model, rows, sampler, padId, loss), sampler, io, null).run();
    model.requiresGrad(false);
    if (Trainer.writesFiles()) io.saveFinal(cfg.outputDir());
    return r;
  }
}

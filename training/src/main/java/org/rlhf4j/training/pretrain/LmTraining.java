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
 * Shuffled batches (or batches of rows of similar length: {@link Batching}), {@link LmStep} on the one loop, checkpoints and the final model as Hugging Face folders in
 * {@code cfg.outputDir()} (with the tokenizer files of {@code tokenizerDir}, when given).
 *
 * <pre>{@code
 * TrainResult r = LmTraining.train(model, rows, 32, tok.padId(), SftLoss.Config.DEFAULT, cfg, modelDir);
 * }</pre>
 */
public final class LmTraining {
  private LmTraining() {}

  /** How the rows are drawn into batches. */
  public enum Batching {
    /** A fresh seeded permutation each epoch, cut into batches. */
    SHUFFLED {
      @Override BatchSampler sampler(List<Row> rows, int batchSize, long seed) { return new BatchSampler(rows.size(), batchSize, seed, true); }
    },
    /**
     * The same permutation with each run of {@code BatchSampler}'s mega-batches sorted by length (transformers'
     * {@code group_by_length}, {@link BatchSampler#groupedByLength}): a batch pads to little more than its own rows, so
     * a few long documents no longer make every batch as long as they are.
     */
    GROUPED_BY_LENGTH {
      @Override BatchSampler sampler(List<Row> rows, int batchSize, long seed) {
        return BatchSampler.groupedByLength(rows.stream().mapToInt(Row::length).toArray(), batchSize, seed);
      }
    },
    /**
     * The batches of {@link #GROUPED_BY_LENGTH} in a seeded random order over each epoch
     * ({@link BatchSampler#bucketedByLength}): as little padding, without runs of dozens of steps on one length (and
     * so, in a corpus whose long documents are of one kind, on one kind of document).
     */
    BUCKETED_BY_LENGTH {
      @Override BatchSampler sampler(List<Row> rows, int batchSize, long seed) {
        return BatchSampler.bucketedByLength(rows.stream().mapToInt(Row::length).toArray(), batchSize, seed);
      }
    };

    abstract BatchSampler sampler(List<Row> rows, int batchSize, long seed);
  }

  /** Trains {@code model} in place on shuffled batches (gradients on during training only) and saves it into {@code cfg.outputDir()}. */
  public static TrainResult train(CausalLM model, List<Row> rows, int batchSize, int padId, SftLoss.Config loss,
      TrainConfig cfg, Path tokenizerDir) {
    return train(model, rows, Batching.SHUFFLED, batchSize, padId, loss, cfg, tokenizerDir);
  }

  /** As {@link #train(CausalLM, List, int, int, SftLoss.Config, TrainConfig, Path)}, with batches drawn as {@code batching} says. */
  public static TrainResult train(CausalLM model, List<Row> rows, Batching batching, int batchSize, int padId, SftLoss.Config loss,
      TrainConfig cfg, Path tokenizerDir) {
    if (rows.isEmpty()) throw new IllegalArgumentException("no training rows");
    if (batching == null) throw new IllegalArgumentException("batching is required");
    BatchSampler sampler = batching.sampler(rows, batchSize, cfg.seed()).shardForThisRank(); // data-parallel: this rank's share
    model.requiresGrad(true);
    ModelCheckpoint io = ModelCheckpoint.of(model).withTokenizer(tokenizerDir);
    TrainResult r = new Trainer(cfg, model.trainable(), new LmStep(model, rows, sampler, padId, loss), sampler, io, null).run();
    model.requiresGrad(false);
    if (Trainer.writesFiles()) io.saveFinal(cfg.outputDir());
    return r;
  }
}

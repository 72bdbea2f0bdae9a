package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.CheckpointIO;
import org.rlhf4j.training.loop.DataCursor;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.SftLoss;

/**
 * Next-token training on token rows through the shared training loop: pre-training (every
 * token a target) and SFT (only the response and its EOS are targets).
 */
final class LmStage {
  private LmStage() {}

  static TrainResult train(CausalLM model, List<TokenRow> rows, int batch, long padId, TrainConfig cfg) {
    model.requiresGrad(true);
    Sampler sampler = new Sampler(rows.size(), batch, cfg.seed());
    Trainer trainer = new Trainer(cfg, model, micro -> {
      List<TokenRow> picked = new ArrayList<>();
      for (int i : sampler.next()) picked.add(rows.get(i));
      long[][][] b = TokenRow.batch(picked, padId);
      Tensor ids = Tensors.longs(b[0], model.device());                       // (B, T)
      Tensor logits = model.forward(ids, null).logits();                      // (B, T, V); right padding needs no mask
      SftLoss.Result r = SftLoss.compute(new SftLoss.Config(SftLoss.Reduction.TOKEN_MEAN), logits, ids,
          Tensors.longs(b[2], model.device()));
      return new StepResult(r.loss(), Map.of("token_accuracy", r.metrics().tokenAccuracy()), r.metrics().numTargetTokens());
    }, sampler, modelIO(model), null);
    TrainResult result = trainer.run();
    model.requiresGrad(false);
    return result;
  }

  static CheckpointIO modelIO(CausalLM model) {
    return new CheckpointIO() {
      @Override public void save(Path dir) { model.save(dir); }
      @Override public void load(Path dir) throws java.io.IOException { CheckpointIO.safetensors(model).load(dir); }
    };
  }

  /** Seeded random mini-batches whose position (batches drawn) is saved with checkpoints. */
  static final class Sampler implements DataCursor {
    private final int n, batch;
    private final long seed;
    private long drawn;

    Sampler(int n, int batch, long seed) {
      if (n == 0) throw new IllegalArgumentException("no training rows");
      this.n = n;
      this.batch = batch;
      this.seed = seed;
    }

    int[] next() {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + drawn++);
      return r.ints(batch, 0, n).toArray();
    }

    @Override public long position() { return drawn; }
    @Override public void seek(long position) { drawn = position; }
  }
}

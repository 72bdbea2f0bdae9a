package org.rlhf4j.training.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.loss.SftLoss;

/** The loop on a real model: llama-tiny, next-token loss, bf16 autocast, accumulation, HF checkpoints, resume. */
class CausalLmTrainingTest {
  static final int BATCH = 2, T = 12, VOCAB = 320;
  @TempDir Path tmp;

  /** Seeded token stream: row i is drawn from Random(i). */
  static final class Tokens implements DataCursor {
    long position;

    Tensor next() {
      long[] ids = new long[BATCH * T];
      for (int b = 0; b < BATCH; b++) {
        Random r = new Random(position + b);
        for (int t = 0; t < T; t++) ids[b * T + t] = (t % 3 == 0) ? 5 + r.nextInt(VOCAB - 5) : (ids[b * T + t - 1] * 7 + 1) % VOCAB;
      }
      position += BATCH;
      Tensor x = torch.empty(new long[] {BATCH, T}, new TensorOptions(torch.ScalarType.Long), null); // (B, T)
      x.data_ptr_long().put(ids);
      return x;
    }

    @Override public long position() { return position; }
    @Override public void seek(long p) { position = p; }
  }

  static TrainResult train(TrainConfig cfg, Path fixture) {
    CausalLM model = CausalLM.load(fixture).requiresGrad(true);
    Tokens data = new Tokens();
    TrainStep step = micro -> {
      Tensor ids = data.next(); // (B, T)
      Tensor logits = model.forward(ids, null).logits(); // (B, T, V)
      SftLoss.Result r = SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, torch.ones_like(ids));
      return new StepResult(r.loss(), Map.of("token_accuracy", r.metrics().tokenAccuracy()), (long) BATCH * T);
    };
    return new Trainer(cfg, model, step, data, CheckpointIO.of(model, model::save), null).run();
  }

  @Test void trainsLlamaTinyAndResumesFromItsHfCheckpoint() {
    Path fixture = Shared.require("fixtures/llama-tiny");
    TrainConfig cfg = TrainConfig.defaults(tmp.resolve("straight")).toBuilder().lr(3e-3).warmupSteps(1).maxSteps(6)
        .gradAccumulation(2).autocast(DType.BF16).saveEvery(3).logEvery(3).build();
    TrainResult straight = train(cfg, fixture);
    assertThat(straight.losses().get(6)).isLessThan(straight.losses().get(1));

    // 3 steps, then a "new process" resumes from the HF-layout checkpoint-3 for steps 4-6.
    TrainConfig split = cfg.toBuilder().outputDir(tmp.resolve("split")).build();
    trainUntilCrash(split, fixture, 4);
    TrainResult resumed = train(split.toBuilder().resume(true).build(), fixture);
    assertThat(resumed.startStep()).isEqualTo(3);
    for (int s = 4; s <= 6; s++) {
      assertThat(resumed.losses().get(s)).as("step %d", s).isCloseTo(straight.losses().get(s), within(1e-4));
    }

    // the checkpoint is a Hugging Face folder the model layer loads back
    CausalLM reloaded = CausalLM.load(straight.lastCheckpoint());
    assertThat(reloaded.parameters().keySet()).contains("lm_head.weight", "model.norm.weight");
    assertThat(straight.lastCheckpoint().resolve("config.json")).isRegularFile();
  }

  /** Runs {@code cfg} with a step function that throws on optimizer step {@code crashAt}. */
  static void trainUntilCrash(TrainConfig cfg, Path fixture, int crashAt) {
    CausalLM model = CausalLM.load(fixture).requiresGrad(true);
    Tokens data = new Tokens();
    int[] calls = {0};
    TrainStep step = micro -> {
      if (++calls[0] > (crashAt - 1) * cfg.gradAccumulation()) throw new IllegalStateException("simulated crash");
      Tensor ids = data.next(); // (B, T)
      Tensor logits = model.forward(ids, null).logits(); // (B, T, V)
      return new StepResult(SftLoss.compute(SftLoss.Config.DEFAULT, logits, ids, torch.ones_like(ids)).loss());
    };
    try {
      new Trainer(cfg, model, step, data, CheckpointIO.of(model, model::save), null).run();
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("simulated crash");
      return;
    }
    throw new AssertionError("the run should have crashed at step " + crashAt);
  }
}

package org.rlhf4j.training.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Safetensors;

class TrainerTest {
  static final int DIM = 4, HIDDEN = 16, BATCH = 8;
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static TrainConfig config(Path dir) {
    return TrainConfig.defaults(dir).toBuilder().lr(1e-2).warmupSteps(2).maxSteps(20).logEvery(5).saveEvery(10)
        .weightDecay(0.01).build();
  }

  /** The toy step: MSE on the next batch, inputs jittered with torch noise (so the RNG state matters). */
  static TrainStep step(ToyMlp model, ToyData data, int batch, boolean noise) {
    return micro -> {
      ToyData.Batch b = data.next(batch);
      Tensor x = noise ? b.x().add(torch.randn(batch, DIM).mul(new org.bytedeco.pytorch.Scalar(0.05))) : b.x(); // (B, D)
      return new StepResult(model.loss(new ToyData.Batch(x, b.y())), Map.of("batch_mean_y", (double) ToyMlp.floats(b.y().mean())[0]), batch * DIM);
    };
  }

  static TrainResult train(TrainConfig cfg, ToyMlp model, ToyData data, int batch) {
    return new Trainer(cfg, model, step(model, data, batch, true), data, CheckpointIO.safetensors(model), null).run();
  }

  static List<JsonNode> jsonl(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
    return out;
  }

  @Test void trainsAndWritesLogsConfigAndCheckpoints() throws IOException {
    TrainConfig cfg = config(tmp).toBuilder().maxSteps(30).build();
    TrainResult r = train(cfg, new ToyMlp(DIM, HIDDEN, 1), new ToyData(DIM, 7), BATCH);

    assertThat(r.step()).isEqualTo(30);
    assertThat(r.losses()).hasSize(30);
    double first = (r.losses().get(1) + r.losses().get(2) + r.losses().get(3)) / 3;
    double last = (r.losses().get(28) + r.losses().get(29) + r.losses().get(30)) / 3;
    assertThat(last).isLessThan(first * 0.7);

    List<JsonNode> log = jsonl(tmp.resolve("metrics.jsonl"));
    assertThat(log).extracting(n -> n.get("step").asInt()).containsExactly(5, 10, 15, 20, 25, 30);
    JsonNode at10 = log.get(1);
    assertThat(at10.fieldNames()).toIterable().contains("loss", "lr", "grad_norm", "tokens_per_sec", "batch_mean_y");
    double meanLoss = (r.losses().get(6) + r.losses().get(7) + r.losses().get(8) + r.losses().get(9) + r.losses().get(10)) / 5;
    assertThat(at10.get("loss").asDouble()).isCloseTo(meanLoss, within(1e-9)); // mean over the window
    assertThat(at10.get("lr").asDouble()).isCloseTo(
        new org.rlhf4j.training.optim.LrSchedule(cfg.schedule(), cfg.lr(), cfg.minLrRatio(), 2, 30).lr(10), within(1e-15));

    assertThat(JSON.readTree(tmp.resolve("train_config.json").toFile()).get("max_steps").asInt()).isEqualTo(30);
    assertThat(Files.readString(tmp.resolve("latest")).trim()).isEqualTo("checkpoint-30");
    Path ckpt = tmp.resolve("checkpoint-30");
    assertThat(r.lastCheckpoint()).isEqualTo(ckpt);
    assertThat(ckpt.resolve("model.safetensors")).isRegularFile();
    assertThat(Safetensors.load(ckpt.resolve("optimizer.safetensors")))
        .containsKeys("fc1.weight.exp_avg", "fc1.weight.exp_avg_sq", "fc1.weight.step", "fc2.bias.step");
    JsonNode state = JSON.readTree(ckpt.resolve("trainer_state.json").toFile());
    assertThat(state.get("step").asInt()).isEqualTo(30);
    assertThat(state.get("data_position").asLong()).isEqualTo(30L * BATCH);
    assertThat(state.get("rng_state").asText()).isNotEmpty();
    assertThat(state.get("config").get("lr").asDouble()).isEqualTo(1e-2);
    // keepCheckpoints = 2: checkpoint-10 pruned, 20 and 30 kept
    assertThat(tmp.resolve("checkpoint-10")).doesNotExist();
    assertThat(tmp.resolve("checkpoint-20")).isDirectory();
  }

  @Test void beginStepSeesResumeAwareStepNumbers() {
    TrainConfig cfg = config(tmp).toBuilder().maxSteps(4).saveEvery(2).build();
    List<Integer> seen = new ArrayList<>();
    int[] calls = {0};
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    TrainStep inner = step(model, data, BATCH, false);
    TrainStep crashing = new TrainStep() {
      @Override public StepResult step(int micro) {
        if (++calls[0] == 3) throw new IllegalStateException("simulated crash");
        return inner.step(micro);
      }
      @Override public void beginStep(int s) { seen.add(s); }
    };
    assertThatThrownBy(() -> new Trainer(cfg, model, crashing, data, CheckpointIO.safetensors(model), null).run());
    calls[0] = -100;
    new Trainer(cfg.toBuilder().resume(true).build(), model, crashing, data, CheckpointIO.safetensors(model), null).run();
    assertThat(seen).containsExactly(1, 2, 3, 3, 4);
  }

  @Test void gradientAccumulationOfHalfBatchesEqualsTheFullBatch() {
    TrainConfig base = config(tmp.resolve("a")).toBuilder().maxSteps(3).saveEvery(0).build();
    ToyMlp full = new ToyMlp(DIM, HIDDEN, 3), halves = new ToyMlp(DIM, HIDDEN, 3);
    ToyData d1 = new ToyData(DIM, 5), d2 = new ToyData(DIM, 5);
    TrainResult a = new Trainer(base, full, step(full, d1, BATCH, false), d1, CheckpointIO.safetensors(full), null).run();
    TrainConfig accum = base.toBuilder().gradAccumulation(2).outputDir(tmp.resolve("b")).build();
    TrainResult b = new Trainer(accum, halves, step(halves, d2, BATCH / 2, false), d2, CheckpointIO.safetensors(halves), null).run();

    for (int s = 1; s <= 3; s++) assertThat(b.losses().get(s)).isCloseTo(a.losses().get(s), within(1e-5));
    full.parameters().forEach((name, p) -> {
      float[] x = ToyMlp.floats(p), y = ToyMlp.floats(halves.parameters().get(name));
      for (int i = 0; i < x.length; i++) assertThat(y[i]).as(name + "[" + i + "]").isCloseTo(x[i], within(1e-5f));
    });
    assertThat(d2.position()).isEqualTo(d1.position()).isEqualTo(3L * BATCH);
  }

  @Test void resumeReproducesTheUninterruptedTrajectory() {
    TrainConfig cfg = config(tmp.resolve("straight"));
    TrainResult straight = train(cfg, new ToyMlp(DIM, HIDDEN, 11), new ToyData(DIM, 13), BATCH);

    // Same run, killed during step 13 (after the checkpoint at step 10).
    TrainConfig cfg2 = cfg.toBuilder().outputDir(tmp.resolve("resumed")).build();
    ToyMlp m1 = new ToyMlp(DIM, HIDDEN, 11);
    ToyData d1 = new ToyData(DIM, 13);
    TrainStep inner = step(m1, d1, BATCH, true);
    int[] calls = {0};
    TrainStep crashing = micro -> {
      if (++calls[0] == 13) throw new IllegalStateException("simulated crash");
      return inner.step(micro);
    };
    assertThatThrownBy(() -> new Trainer(cfg2, m1, crashing, d1, CheckpointIO.safetensors(m1), null).run())
        .hasMessage("simulated crash");

    // A new process: different initial weights, fresh data stream, torch RNG reseeded elsewhere.
    torch.manual_seed(999);
    ToyMlp m2 = new ToyMlp(DIM, HIDDEN, 12345);
    ToyData d2 = new ToyData(DIM, 13);
    TrainResult resumed = train(cfg2.toBuilder().resume(true).build(), m2, d2, BATCH);

    assertThat(resumed.startStep()).isEqualTo(10);
    assertThat(resumed.losses().keySet()).containsExactly(11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
    for (int s = 11; s <= 20; s++) {
      assertThat(resumed.losses().get(s)).as("step %d", s).isCloseTo(straight.losses().get(s), within(1e-6));
    }
    // metrics.jsonl holds each step once (the crashed run's lines after step 10 were dropped)
    assertThat(readSteps(tmp.resolve("resumed/metrics.jsonl"))).containsExactly(5, 10, 15, 20);
  }

  @Test void nanLossStopsWithStepAndMetricAndKeepsTheLastCheckpoint() {
    TrainConfig cfg = config(tmp).toBuilder().saveEvery(5).build();
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    TrainStep inner = step(model, data, BATCH, false);
    int[] calls = {0};
    TrainStep poisoned = micro -> {
      StepResult r = inner.step(micro);
      return ++calls[0] == 7 ? new StepResult(r.loss().mul(torch.full(new long[] {}, new org.bytedeco.pytorch.Scalar(Double.NaN)))) : r;
    };
    assertThatThrownBy(() -> new Trainer(cfg, model, poisoned, data, CheckpointIO.safetensors(model), null).run())
        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
          assertThat(e.step()).isEqualTo(7);
          assertThat(e.metric()).startsWith("loss");
          assertThat(e.lastCheckpoint()).isEqualTo(tmp.resolve("checkpoint-5"));
        })
        .hasMessageContaining("step 7").hasMessageContaining("NaN");
    assertThat(Checkpoints.complete(tmp.resolve("checkpoint-5"))).isTrue();
  }

  @Test void infiniteMetricStopsNamingIt() {
    TrainConfig cfg = config(tmp).toBuilder().saveEvery(0).build();
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    TrainStep inner = step(model, data, BATCH, false);
    int[] calls = {0};
    TrainStep bad = micro -> {
      StepResult r = inner.step(micro);
      return ++calls[0] == 3 ? new StepResult(r.loss(), Map.of("kl", Double.POSITIVE_INFINITY)) : r;
    };
    assertThatThrownBy(() -> new Trainer(cfg, model, bad, data, CheckpointIO.safetensors(model), null).run())
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("step 3").hasMessageContaining("kl").hasMessageContaining("Infinity")
        .hasMessageContaining("no checkpoint");
  }

  @Test void crashMidSaveLeavesThePreviousCheckpointLoadable() throws IOException {
    TrainConfig cfg = config(tmp).toBuilder().saveEvery(5).build();
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    CheckpointIO real = CheckpointIO.safetensors(model);
    int[] saves = {0};
    CheckpointIO flaky = new CheckpointIO() {
      @Override public void save(Path dir) throws IOException {
        real.save(dir);
        if (++saves[0] == 2) {
          Files.write(dir.resolve("model-part2.safetensors"), new byte[] {1, 2, 3}); // half written
          throw new IOException("disk full (simulated)");
        }
      }
      @Override public void load(Path dir) throws IOException { real.load(dir); }
    };
    assertThatThrownBy(() -> new Trainer(cfg, model, step(model, data, BATCH, false), data, flaky, null).run())
        .hasMessageContaining("disk full").hasMessageContaining("checkpoint-5");

    assertThat(Files.readString(tmp.resolve("latest")).trim()).isEqualTo("checkpoint-5");
    assertThat(tmp.resolve("checkpoint-10")).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    // and it loads: resuming continues from step 5
    ToyMlp fresh = new ToyMlp(DIM, HIDDEN, 99);
    ToyData d = new ToyData(DIM, 2);
    TrainResult r = new Trainer(cfg.toBuilder().resume(true).build(), fresh, step(fresh, d, BATCH, false), d,
        CheckpointIO.safetensors(fresh), null).run();
    assertThat(r.startStep()).isEqualTo(5);
    assertThat(r.step()).isEqualTo(20);
  }

  @Test void freshRunRefusesADirectoryWithCheckpoints() {
    TrainConfig cfg = config(tmp).toBuilder().maxSteps(2).build();
    train(cfg, new ToyMlp(DIM, HIDDEN, 1), new ToyData(DIM, 2), BATCH);
    assertThatThrownBy(() -> train(cfg, new ToyMlp(DIM, HIDDEN, 1), new ToyData(DIM, 2), BATCH))
        .hasMessageContaining("already holds checkpoints").hasMessageContaining("resume");
  }

  @Test void evaluatorRunsWithoutGradAndLogsWithEvalPrefix() throws IOException {
    TrainConfig cfg = config(tmp).toBuilder().maxSteps(10).evalEvery(4).build();
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    List<Boolean> gradModes = new ArrayList<>();
    Evaluator eval = () -> {
      gradModes.add(GradMode.is_enabled());
      return Map.of("mse", ToyMlp.floats(model.loss(new ToyData(DIM, 77).next(16)))[0] * 1.0);
    };
    new Trainer(cfg, model, step(model, data, BATCH, false), data, CheckpointIO.safetensors(model), eval).run();
    assertThat(gradModes).containsExactly(false, false);
    assertThat(GradMode.is_enabled()).isTrue();
    List<JsonNode> evals = jsonl(tmp.resolve("metrics.jsonl")).stream().filter(n -> n.has("eval/mse")).toList();
    assertThat(evals).extracting(n -> n.get("step").asInt()).containsExactly(4, 8);
  }

  @Test void bf16AutocastKeepsF32MasterWeights() {
    TrainConfig cfg = config(tmp).toBuilder().maxSteps(20).autocast(DType.BF16).build();
    ToyMlp model = new ToyMlp(DIM, HIDDEN, 1);
    ToyData data = new ToyData(DIM, 2);
    List<String> forwardTypes = new ArrayList<>();
    TrainStep inner = step(model, data, BATCH, false);
    TrainStep probe = micro -> {
      forwardTypes.add(model.forward(data.next(1).x()).scalar_type().toString());
      return inner.step(micro);
    };
    TrainResult r = new Trainer(cfg, model, probe, data, CheckpointIO.safetensors(model), null).run();
    assertThat(forwardTypes).hasSize(20).containsOnly("BFloat16");
    model.parameters().values().forEach(p -> assertThat(p.scalar_type().toString()).isEqualTo("Float"));
    assertThat(r.losses().get(20)).isLessThan(r.losses().get(1));
  }

  static List<Integer> readSteps(Path file) {
    try {
      return jsonl(file).stream().map(n -> n.get("step").asInt()).toList();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}

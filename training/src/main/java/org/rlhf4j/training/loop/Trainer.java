package org.rlhf4j.training.loop;

import org.rlhf4j.common.Reporter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.Autocast;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.training.optim.AdamW;
import org.rlhf4j.training.optim.GradClip;
import org.rlhf4j.training.optim.LrSchedule;

/**
 * The one training loop every algorithm runs: the algorithm supplies a {@link TrainStep}
 * (forward + loss on its next micro-batch); the loop owns backward, gradient accumulation,
 * clipping, AdamW, the learning-rate schedule, autocast, native memory (one
 * {@link NativeScope} per optimizer step), logging, evaluation, checkpoints and resume.
 *
 * <pre>{@code
 * TrainResult r = new Trainer(cfg, model, micro -> new StepResult(lossOf(batches.next())),
 *     batches, CheckpointIO.safetensors(model), null).run();
 * }</pre>
 *
 * Output directory: {@code train_config.json} (effective config), {@code metrics.jsonl},
 * {@code checkpoint-<step>/} (model, {@code optimizer.safetensors}, {@code trainer_state.json})
 * and {@code latest}. Construct the trainer outside any native scope: the optimizer state it
 * allocates lives as long as it does.
 */
public final class Trainer {
  static final String CONFIG_FILE = "train_config.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TrainConfig cfg;
  private final Map<String, Tensor> params;
  private final TrainStep stepFn;
  private final DataCursor data;
  private final CheckpointIO checkpointIO;
  private final Evaluator evaluator;
  private final GradientHook hook;
  private Map<String, Double> hookMetrics = Map.of();
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final Checkpoints checkpoints;
  private final Device device;
  private final DataParallel ranks = DataParallel.current();
  private Path lastCheckpoint;
  private String progressUnit = "step";
  private int stepsPerUnit = 1;

  /**
   * @param model        its trainable parameters (requires_grad; tied tensors once) are optimized
   * @param data         the data stream's position, saved in checkpoints ({@link DataCursor#none()} if stateless)
   * @param checkpointIO writes/reads the model in a checkpoint directory
   * @param evaluator    called every {@code evalEvery} steps; may be null
   */
  public Trainer(TrainConfig cfg, HasParameters model, TrainStep step, DataCursor data, CheckpointIO checkpointIO,
      Evaluator evaluator) {
    this(cfg, model, step, data, checkpointIO, evaluator, GradientHook.NONE);
  }

  /** @param hook transforms the gradients between backward and the optimizer step (DP-SGD) */
  public Trainer(TrainConfig cfg, HasParameters model, TrainStep step, DataCursor data, CheckpointIO checkpointIO,
      Evaluator evaluator, GradientHook hook) {
    if (cfg == null || model == null || step == null || data == null || checkpointIO == null) {
      throw new IllegalArgumentException("Trainer: cfg, model, step, data and checkpointIO are required");
    }
    this.cfg = cfg;
    this.params = trainable(model);
    this.stepFn = step;
    this.data = data;
    this.checkpointIO = checkpointIO;
    this.evaluator = evaluator;
    this.hook = hook == null ? GradientHook.NONE : hook;
    this.optimizer = new AdamW(params, new AdamW.Hyper(cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay()), cfg.lrScales());
    this.schedule = new LrSchedule(cfg.schedule(), cfg.lr(), cfg.minLrRatio(), cfg.warmupSteps(), cfg.maxSteps());
    this.checkpoints = new Checkpoints(cfg.outputDir(), cfg.keepCheckpoints());
    this.device = deviceOf(params.values().iterator().next());
    if (ranks.active() && this.hook != GradientHook.NONE) {
      throw new IllegalArgumentException("Trainer: a gradient hook (DP-SGD) with data-parallel ranks is not supported");
    }
  }

  /**
   * Shows progress in units of {@code stepsPerUnit} optimizer steps named {@code unit} (the on-policy loop: one
   * iteration = its updates), so the bar counts what {@code --max-steps} counts. Returns this trainer.
   */
  public Trainer progressIn(String unit, int stepsPerUnit) {
    if (unit == null || unit.isBlank() || stepsPerUnit < 1) throw new IllegalArgumentException("progressIn: a unit name and >= 1 steps");
    this.progressUnit = unit;
    this.stepsPerUnit = stepsPerUnit;
    return this;
  }

  /** Trains to {@code maxSteps}, first restoring the latest checkpoint when {@code cfg.resume()}. */
  public TrainResult run() {
    int start;
    try {
      if (ranks.writes()) {
        Files.createDirectories(cfg.outputDir());
        checkpoints.cleanStale();
      }
      start = cfg.resume() ? restore() : begin();
      ranks.startFromMain(params.values());
      if (ranks.writes()) {
        JSON.writeValue(cfg.outputDir().resolve(CONFIG_FILE).toFile(), cfg.toMap());
        MetricsLog.truncateAfter(cfg.outputDir().resolve(MetricsLog.FILE), start);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + cfg.outputDir() + ": " + e.getMessage(), e);
    }
    SortedMap<Integer, Double> losses = new TreeMap<>();
    try (MetricsLog log = ranks.writes() ? openLog() : MetricsLog.discarding();
        Progress progress = Progress.open(start, cfg.maxSteps(), progressUnit, stepsPerUnit)) {
      LogWindow window = new LogWindow();
      for (int s = start + 1; s <= cfg.maxSteps(); s++) {
        StepStats stats = optimizerStep(s);
        losses.put(s, stats.loss());
        window.add(stats);
        boolean logStep = s % cfg.logEvery() == 0 || s == cfg.maxSteps();
        StepStats shown = stats;
        if (logStep) {
          Map<String, Object> record = window.drain(stats);
          record.putAll(hookMetrics); // the hook's latest values (they describe the run so far, like DP-SGD's epsilon)
          log.append(record);
          shown = stats.asLogged(record); // a logged step shows what metrics.jsonl holds for it
        }
        progress.update(shown, logStep);
        if (evaluator != null && cfg.evalEvery() > 0 && s % cfg.evalEvery() == 0) evaluate(s, log);
        if (ranks.writes() && ((cfg.saveEvery() > 0 && s % cfg.saveEvery() == 0) || s == cfg.maxSteps())) save(s, stats.lr());
      }
    }
    return new TrainResult(Math.max(start, cfg.maxSteps()), start, losses, lastCheckpoint);
  }

  /** Whether this process writes a run's files: the only process, or rank 0 of a data-parallel group. */
  public static boolean writesFiles() { return DataParallel.current().writes(); }

  /** The optimizer (its state is what {@code optimizer.safetensors} holds). */
  public AdamW optimizer() { return optimizer; }

  // ---------------------------------------------------------------------------------------

  /** One optimizer step: gradAccumulation forwards + backwards, clip, AdamW, all in one scope. */
  private StepStats optimizerStep(int s) {
    long startNanos = System.nanoTime();
    double lr = schedule.lr(s);
    try (NativeScope scope = NativeScope.open()) {
      optimizer.zeroGrad(); // in case the caller left gradients behind
      Backprop.discard();   // and checkpointed forwards that no backward used
      stepFn.beginStep(s);
      int accum = hook.microBatches(s, cfg.gradAccumulation());
      double[] lossSum = {0};
      long[] tokens = {0};
      Map<String, Double> metricSums = new LinkedHashMap<>();
      for (int i = 0; i < accum; i++) {
        StepResult r = microBatch(s, i, accum, lossSum);
        hook.afterBackward(s, i, accum, params.values());
        tokens[0] += r.tokens();
        r.metrics().forEach((k, v) -> metricSums.merge(k, v, Double::sum));
      }
      long reduceStart = System.nanoTime();
      ranks.averageGradients(params.values()); // data-parallel: the ranks' mean gradient, before clipping
      double[] avg = averaged(lossSum, tokens, metricSums);
      double reduceSeconds = (System.nanoTime() - reduceStart) / 1e9;
      hookMetrics = hook.beforeStep(s, params.values());
      double gradNorm = GradClip.clip(params.values(), cfg.maxGradNorm());
      if (!Double.isFinite(gradNorm)) throw new TrainingDivergedException(s, "grad_norm", gradNorm, lastCheckpoint);
      optimizer.step(lr);
      optimizer.zeroGrad(); // frees the gradients until the next step
      Backprop.discard();   // a forward with gradients but no backward (e.g. a metric) holds this scope's tensors
      Map<String, Double> metrics = new LinkedHashMap<>();
      metricSums.forEach((k, v) -> metrics.put(k, v / accum));
      if (ranks.active()) metrics.put("dp/allreduce_s", reduceSeconds); // this rank's wait + transfer for the step's gradients
      return new StepStats(s, avg[0] / accum, lr, gradNorm, tokens[0], metrics, (System.nanoTime() - startNanos) / 1e9);
    }
  }

  /** The ranks' mean loss sum (returned) and metric sums (replaced in place), their total tokens; as is for one process. */
  private double[] averaged(double[] lossSum, long[] tokens, Map<String, Double> metricSums) {
    if (!ranks.active()) return lossSum;
    java.util.List<String> keys = DataParallel.keys(metricSums);
    double[] v = new double[keys.size() + 1];
    v[0] = lossSum[0];
    for (int i = 0; i < keys.size(); i++) v[i + 1] = metricSums.get(keys.get(i));
    double[] r = ranks.average(v, tokens);
    for (int i = 0; i < keys.size(); i++) metricSums.put(keys.get(i), r[i + 1]);
    return new double[] {r[0]};
  }

  /** Forward under autocast, finiteness checks, backward of loss / accum; adds the loss to {@code lossSum[0]}. */
  private StepResult microBatch(int s, int i, int accum, double[] lossSum) {
    StepResult r;
    try (Autocast ac = Autocast.enable(device, cfg.autocast())) {
      r = stepFn.step(i);
    }
    double loss = r.loss().item_double();
    if (!Double.isFinite(loss)) throw new TrainingDivergedException(s, "loss (micro-batch " + i + ")", loss, lastCheckpoint);
    for (var m : r.metrics().entrySet()) {
      double v = m.getValue();
      if (!Double.isFinite(v)) throw new TrainingDivergedException(s, m.getKey() + " (micro-batch " + i + ")", v, lastCheckpoint);
    }
    Tensor scaled = accum == 1 ? r.loss() : r.loss().div(new Scalar((double) accum)); // ()
    Backprop.backward(scaled); // the graph, then any checkpointed blocks' recomputes
    lossSum[0] += loss;
    return r;
  }

  private void evaluate(int s, MetricsLog log) {
    Map<String, Double> m;
    try (NativeScope scope = NativeScope.open(); Autocast ac = Autocast.enable(device, cfg.autocast())) {
      new NoGradGuard(); // freed (grad mode restored) when the scope closes
      m = evaluator.evaluate();
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("step", s);
    StringBuilder line = new StringBuilder("eval @ step " + s);
    m.forEach((k, v) -> {
      record.put("eval/" + k, v);
      line.append(String.format(java.util.Locale.ROOT, " | %s %.4g", k, v));
    });
    log.append(record);
    Reporter.get().info(line.toString());
  }

  private void save(int s, double lr) {
    TrainerState state = new TrainerState(s, lr, data.position(), cfg.seed(), Rng.cpuState(), cfg.toMap());
    try (NativeScope scope = NativeScope.open()) {
      lastCheckpoint = checkpoints.save(s, checkpointIO, optimizer.state(), state);
    }
  }

  /** A fresh run: refuses to mix with an earlier run's checkpoints, then seeds. */
  private int begin() {
    Optional<Path> existing = checkpoints.latest();
    if (existing.isPresent()) {
      throw new IllegalStateException(cfg.outputDir() + " already holds checkpoints (latest " + existing.get()
          + "): set resume to continue that run, or choose another outputDir");
    }
    Runtime.seed(cfg.seed());
    return 0;
  }

  /** Loads the latest checkpoint (model, optimizer, data position, RNG); fresh start when none. */
  private int restore() throws IOException {
    Optional<Path> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      Reporter.get().info("resume: no checkpoint in " + cfg.outputDir() + ", starting from step 0");
      return begin();
    }
    Path dir = latest.get();
    TrainerState state = TrainerState.read(dir.resolve(TrainerState.FILE));
    if (state.step() > cfg.maxSteps()) {
      throw new IllegalArgumentException(dir + " is at step " + state.step() + ", beyond maxSteps " + cfg.maxSteps());
    }
    checkpointIO.load(dir);
    try (NativeScope scope = NativeScope.open()) {
      optimizer.loadState(Safetensors.load(dir.resolve(Checkpoints.OPTIMIZER)));
    }
    data.seek(state.dataPosition());
    Runtime.seed(cfg.seed());
    if (!state.rngState().isEmpty()) Rng.restoreCpuState(state.rngState());
    lastCheckpoint = dir;
    Reporter.get().info("resume: continuing from " + dir + " (step " + state.step() + ")");
    return state.step();
  }

  private MetricsLog openLog() {
    try {
      return new MetricsLog(cfg.outputDir().resolve(MetricsLog.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + cfg.outputDir().resolve(MetricsLog.FILE) + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Tensor> trainable(HasParameters model) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    model.parameters().forEach((name, p) -> {
      // tied weights (one tensor under two names) are optimized and clipped once
      if (p.requires_grad() && seen.add(p.unsafeGetTensorImpl().address())) out.put(name, p);
    });
    if (out.isEmpty()) throw new IllegalArgumentException("Trainer: the model has no parameter with requires_grad");
    return out;
  }

  private static Device deviceOf(Tensor p) {
    org.bytedeco.pytorch.Device d = p.device();
    return d.is_cuda() ? Device.cuda(Math.max(0, d.index())) : Device.CPU;
  }
}

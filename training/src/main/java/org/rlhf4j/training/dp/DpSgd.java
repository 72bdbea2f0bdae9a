package org.rlhf4j.training.dp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.privacy.accounting.Accountant;
import org.rlhf4j.privacy.accounting.RdpAccountant;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.CheckpointIO;
import org.rlhf4j.training.loop.DataCursor;
import org.rlhf4j.training.loop.Evaluator;
import org.rlhf4j.training.loop.GradientHook;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loop.TrainStep;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.optim.GradClip;

/**
 * DP-SGD (Abadi et al., CCS 2016) as a {@link GradientHook} on the one training loop: each optimizer step draws a
 * Poisson sample of the examples (each with probability q, so the batch size varies), runs one micro-batch per
 * sampled example, clips each example's gradient to L2 norm C right after its backward (per-example gradients by
 * micro-batches of one: exact for any model, at the cost of batch-size-1 forwards), sums them, adds N(0, σ²C²)
 * to every coordinate and divides by the expected batch size qN (Opacus's "mean" reduction under Poisson sampling).
 * The configured accountant (RDP by default, or PRV: {@link Accountant#named}) reports ε for δ on every logged step
 * ({@code dp/epsilon}, and the same figure as {@code dp/epsilon_rdp} or {@code dp/epsilon_prv}, naming it).
 *
 * <p>Noise comes from libtorch's generator (seeded, checkpointed with the run): like Opacus outside its secure mode it
 * is floating-point Gaussian noise, not protected against the attack of Mironov (2012). Use with
 * {@code maxGradNorm = 0} (the noisy gradient is not clipped again) and {@code gradAccumulation = 1}.
 */
public final class DpSgd implements GradientHook, DataCursor {
  private final DpSgdConfig cfg;
  private final Accountant accountant;
  private final Map<Tensor, Tensor> sums = new IdentityHashMap<>();
  private List<Integer> batch = List.of();
  private int clipped;
  private long step;
  private int logEvery = 1; // ε is computed on the steps the loop logs (PRV costs a grid and an FFT per figure)
  private int lastStep = Integer.MAX_VALUE;
  private long accountedStep = -1;
  private double accounted;

  public DpSgd(DpSgdConfig cfg) {
    this.cfg = cfg;
    this.accountant = Accountant.named(cfg.accountant());
  }

  public DpSgdConfig config() { return cfg; }

  /** ε after {@code steps} steps, from the configured accountant. */
  public double epsilon(long steps) { return epsilon(accountant, steps); }

  private double epsilon(Accountant a, long steps) {
    return cfg.noiseMultiplier() == 0 ? Double.POSITIVE_INFINITY : a.epsilon(cfg.noiseMultiplier(), cfg.sampleRate(), steps, cfg.delta());
  }

  /** The Poisson sample of step {@code s}: a pure function of (seed, s), so a resumed run draws the same batches. */
  static List<Integer> poisson(long seed, long s, int n, double q) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) if (r.nextDouble() < q) out.add(i);
    return out;
  }

  /**
   * Trains {@code model} with DP-SGD on the one loop: {@code examples} computes the loss of the given example indices
   * (always one here), the loop's own clipping is off (the noisy gradient is not clipped again), and gradient
   * accumulation must be 1 (the step's batch is its Poisson sample). What the reward model and DPO share; the caller
   * saves the model, then {@link #writeCard}.
   */
  public TrainResult train(TrainConfig train, HasParameters model, Function<List<Integer>, StepResult> examples,
      CheckpointIO io, Evaluator eval) {
    if (train.gradAccumulation() != 1) {
      throw new IllegalArgumentException("DP-SGD: grad_accumulation must be 1 (each step's batch is a Poisson sample), got "
          + train.gradAccumulation());
    }
    logEvery = train.logEvery();
    lastStep = train.maxSteps();
    return new Trainer(train.toBuilder().maxGradNorm(0).build(), model, wrap(examples), this, io, eval, this).run();
  }

  /** Wraps an algorithm's step so that micro-batch i is the step's i-th sampled example ({@code examples} yields it). */
  public TrainStep wrap(Function<List<Integer>, StepResult> examples) {
    return new TrainStep() {
      @Override public void beginStep(int s) { draw(s); }

      @Override public StepResult step(int i) {
        if (batch.isEmpty()) { // an empty Poisson sample: one example with zero weight keeps the loop's shape; only noise is added
          StepResult r = examples.apply(List.of(0));
          return new StepResult(r.loss().mul(Tensors.scalar(0)), r.metrics(), 0);
        }
        return examples.apply(List.of(batch.get(i)));
      }
    };
  }

  void draw(int s) {
    step = s;
    batch = poisson(cfg.seed(), s, cfg.datasetSize(), cfg.sampleRate());
    clipped = 0;
    sums.clear();
  }

  @Override public int microBatches(int s, int configured) { return Math.max(1, batch.size()); }

  @Override public void afterBackward(int s, int i, int microBatches, Collection<Tensor> params) {
    double norm = microBatches * GradClip.globalNorm(params); // the loop scaled the loss by 1 / microBatches
    double factor = microBatches * Math.min(1.0, cfg.clipNorm() / (norm + 1e-6));
    if (norm > cfg.clipNorm()) clipped++;
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard(); // freed (grad mode restored) with this scope, before the next example's forward
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (!g.defined()) continue;
        Tensor sum = sums.get(p);
        if (sum == null) sums.put(p, scope.keep(g.mul(Tensors.scalar(factor)))); // lives until the optimizer step ends
        else sum.add_(g.mul(Tensors.scalar(factor)));
        g.zero_();
      }
    }
  }

  @Override public Map<String, Double> beforeStep(int s, Collection<Tensor> params) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard();
      addNoise(params);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("dp/batch_size", (double) batch.size());
    m.put("dp/clipped_fraction", batch.isEmpty() ? 0 : clipped / (double) batch.size());
    if (s % logEvery == 0 || s >= lastStep || accountedStep < 0) {
      accounted = epsilon(s);
      accountedStep = s;
    }
    if (Double.isFinite(accounted)) { // the latest logged step's figure (the loop writes the hook's metrics on logged steps only)
      m.put("dp/epsilon", accounted);
      m.put("dp/epsilon_" + accountant.name(), accounted);
    }
    return m;
  }

  /** grad = (Σ clipped per-example gradients + N(0, σ²C²)) / (qN). */
  private void addNoise(Collection<Tensor> params) {
    double std = cfg.noiseMultiplier() * cfg.clipNorm();
    double expected = cfg.sampleRate() * cfg.datasetSize();
    for (Tensor p : params) {
      Tensor sum = sums.get(p);
      Tensor g = p.grad();
      if (sum == null || !g.defined()) continue; // a parameter no example reaches has gradient 0 and stays put
      Tensor noisy = std == 0 ? sum : sum.add(torch.randn(sum.sizes().vec().get(), sum.options()).mul(Tensors.scalar(std)));
      g.copy_(noisy.div(Tensors.scalar(expected)));
    }
  }

  /** Writes {@code privacy.json} beside the saved model: the DP-SGD settings and the ε reached after {@code steps}. */
  public void writeCard(java.nio.file.Path dir, long steps) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("mechanism", "DP-SGD: Poisson sampling, per-example clipping (micro-batches of one), Gaussian noise");
    card.put("noise_multiplier", cfg.noiseMultiplier());
    card.put("clip_norm", cfg.clipNorm());
    card.put("sample_rate", cfg.sampleRate());
    card.put("dataset_size", cfg.datasetSize());
    card.put("steps", steps);
    card.put("delta", cfg.delta());
    double eps = epsilon(steps);
    card.put("epsilon", Double.isFinite(eps) ? eps : "infinite (no noise)");
    card.put("accountant", accountant.name());
    card.put("accountant_method", accountant.description());
    if (Double.isFinite(eps)) {
      card.put("epsilon_detail", accountant.detail(cfg.noiseMultiplier(), cfg.sampleRate(), steps, cfg.delta()));
      card.put("epsilon_rdp", epsilon(RdpAccountant.opacus(), steps)); // under PRV: the looser RDP figure, for comparison
    }
    try {
      java.nio.file.Files.createDirectories(dir);
      new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("privacy.json").toFile(), card);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + dir.resolve("privacy.json") + ": " + e.getMessage(), e);
    }
  }

  // The Poisson draws depend only on the step number, so the cursor's position is the last step (for checkpoints).
  @Override public long position() { return step; }

  @Override public void seek(long position) { step = position; }
}

package org.rlhf4j.synth.ctgan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.common.Progress;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.synth.table.Table;
import org.rlhf4j.synth.transform.DataTransformer;
import org.rlhf4j.training.optim.AdamW;

/**
 * Trains CTGAN (Xu et al. 2019) on a table: per step, {@code discriminatorSteps} critic updates (WGAN loss plus
 * gradient penalty, real rows drawn by training-by-sampling to match the conditions) and one generator update
 * (adversarial loss plus the conditional cross-entropy), after which the generator's weight average is updated when
 * {@link CtganConfig#generatorEma()} asks for one (then that average is the model listeners see and the run saves). One epoch is {@code max(rows / batch, 1)} steps.
 *
 * <p>With an output folder, every {@code checkpointEvery} epochs and at the end the run is checkpointed
 * ({@link CtganCheckpoints}) and one {@code metrics.jsonl} line per epoch is appended; a run restarted on the same
 * folder resumes after the last checkpoint. Each epoch's random streams are seeded from (seed, epoch), so a resumed
 * run draws exactly what the uninterrupted one would have.
 */
public final class CtganTrainer {
  /**
   * Told after each epoch, before that epoch's checkpoint is written, with the live model (progress itself goes
   * through the installed {@link Reporter}). It may sample from the model; it must not train it.
   */
  public interface Listener {
    void epoch(int epoch, int epochs, Map<String, Object> metrics, Ctgan model) throws IOException;

    Listener NONE = (e, n, m, model) -> {};

    /** This listener, then {@code next}. */
    default Listener then(Listener next) {
      return (e, n, m, model) -> {
        epoch(e, n, m, model);
        next.epoch(e, n, m, model);
      };
    }
  }

  private final CtganConfig config;
  private final Device device;

  public CtganTrainer(CtganConfig config, Device device) {
    this.config = config;
    this.device = device;
  }

  /** Trains on {@code train}; {@code out} (nullable) receives checkpoints, metrics.jsonl and the final model. */
  public Ctgan fit(Table train, Path out, Listener listener) throws IOException {
    CtganCheckpoints ckpt = out == null ? null : new CtganCheckpoints(out, config);
    DataTransformer transformer = ckpt != null && ckpt.transformer() != null ? ckpt.transformer() : DataTransformer.fit(train);
    ConditionalSampler sampler = ConditionalSampler.forTraining(transformer, train);
    Tensor data = Tensors.floats(transformer.encode(train, new Random(config.seed())), device, train.rows(), transformer.width()); // (N, D)
    Runtime.seed(config.seed());
    CtganGenerator g = Ctgan.newGenerator(config, transformer, device);
    CtganDiscriminator d = new CtganDiscriminator(transformer.width() + sampler.width(), config.discriminatorDims(), config.pac(), device);
    AdamW optG = adam(g.parameters()), optD = adam(d.parameters());
    // made after the critic, so the live networks start from the weights a run without the average draws
    GeneratorEma ema = config.generatorEma() == 0 ? null : new GeneratorEma(config.generatorEma(), g, Ctgan.newGenerator(config, transformer, device));
    Ctgan model = new Ctgan(config, transformer, ema == null ? g : ema.average(), device); // what is sampled and saved
    int start = ckpt == null ? 0 : ckpt.resume(transformer, g, d, optG, optD, ema);
    if (start > 0) Reporter.get().info("ctgan: resuming after epoch %d of %d (%s)", start, config.epochs(), out);
    Step step = new Step(transformer, sampler, data, g, d, optG, optD, model, ema);
    int steps = Math.max(train.rows() / config.batchSize(), 1);
    try (Progress progress = Reporter.get().progress("epoch", start, config.epochs())) { // the unit, as "step"
      for (int epoch = start + 1; epoch <= config.epochs(); epoch++) {
        Map<String, Object> m = epoch(step, epoch, steps);
        if (ckpt != null) ckpt.log(m);
        listener.epoch(epoch, config.epochs(), m, model); // before the checkpoint: a resumed run tells it again
        if (ckpt != null && (epoch % config.checkpointEvery() == 0 || epoch == config.epochs())) {
          ckpt.save(epoch, transformer, g, d, optG, optD, ema);
        }
        progress.update(epoch, String.format(Locale.ROOT, "loss/generator %.4f | loss/discriminator %.4f",
            (double) m.get("loss/generator"), (double) m.get("loss/discriminator")), epoch % 10 == 0 || epoch == config.epochs());
      }
    }
    if (ckpt != null) ckpt.saveModel(model);
    return model;
  }

  /** One epoch of {@code steps} steps, its random streams seeded from (seed, epoch); returns its metrics. */
  private Map<String, Object> epoch(Step step, int epoch, int steps) {
    long t0 = System.nanoTime();
    long epochSeed = config.seed() * 1_000_003L + epoch;
    Runtime.seed(epochSeed);
    Random rng = new Random(epochSeed);
    double[] sums = new double[4];
    for (int s = 0; s < steps; s++) {
      for (int k = 0; k < config.discriminatorSteps(); k++) step.critic(rng, sums);
      step.generator(rng, sums);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("step", epoch * steps);
    m.put("loss/generator", sums[0] / steps);
    m.put("loss/conditional", sums[1] / steps);
    m.put("loss/discriminator", sums[2] / (steps * config.discriminatorSteps()));
    m.put("loss/gradient_penalty", sums[3] / (steps * config.discriminatorSteps()));
    m.put("time/epoch_s", (System.nanoTime() - t0) / 1e9);
    return m;
  }

  /** One critic or generator update; losses are added into {@code sums} (generator, conditional, critic, penalty). */
  private final class Step {
    final DataTransformer transformer;
    final ConditionalSampler sampler;
    final Tensor data;
    final CtganGenerator g;
    final CtganDiscriminator d;
    final AdamW optG, optD;
    final Ctgan model;
    final GeneratorEma ema; // null when off
    final int[] dataOffsets, condOffsets, widths;

    Step(DataTransformer transformer, ConditionalSampler sampler, Tensor data, CtganGenerator g, CtganDiscriminator d,
        AdamW optG, AdamW optD, Ctgan model, GeneratorEma ema) {
      this.transformer = transformer;
      this.sampler = sampler;
      this.data = data;
      this.g = g;
      this.d = d;
      this.optG = optG;
      this.optD = optD;
      this.model = model;
      this.ema = ema;
      dataOffsets = transformer.discreteOffsets();
      widths = transformer.discrete().stream().mapToInt(o -> o.categories().size()).toArray();
      condOffsets = new int[widths.length];
      for (int j = 0; j < widths.length; j++) condOffsets[j] = sampler.condOffset(j);
    }

    Tensor noise(int b) { return torch.randn(new long[] {b, config.embeddingDim()}, Tensors.options(DType.F32, device)); }

    void critic(Random rng, double[] sums) {
      int b = config.batchSize();
      try (NativeScope scope = NativeScope.open()) {
        ConditionalSampler.Draw c = sampler.train(b, rng);
        int[] perm = permutation(b, rng);
        Tensor real = data.index_select(0, Tensors.longs(toLongs(sampler.rows(c, perm, (int) data.size(0), rng)), device)); // (B, D)
        Tensor fake = NativeScope.call(() -> {
          new NoGradGuard(); // the critic step needs no generator graph
          return GanLosses.activate(g.forward(model.input(noise(b), c, b)), transformer.spans(), config.tau()); // (B, D)
        });
        Tensor fakeCat = fake, realCat = real;
        if (c != null) {
          Tensor cond = model.condTensor(c, b); // (B, C)
          fakeCat = Tensors.cat(1, fake, cond);
          realCat = Tensors.cat(1, real, cond.index_select(0, Tensors.longs(toLongs(perm), device)));
        }
        Tensor alpha = torch.rand(new long[] {b / config.pac(), 1}, Tensors.options(DType.F32, device)); // (B / pac, 1)
        Tensor penalty = GanLosses.gradientPenalty(x -> d.forward(x, true), realCat, fakeCat, alpha, config.pac(), config.gradientPenalty());
        Tensor loss = GanLosses.criticLoss(d.forward(realCat, true), d.forward(fakeCat, true));
        optD.zeroGrad();
        loss.add(penalty).backward();
        adamStep(optD, d.parameters(), config.discriminatorLr(), config.weightDecay());
        sums[2] += loss.item_double();
        sums[3] += penalty.item_double();
      }
    }

    void generator(Random rng, double[] sums) {
      int b = config.batchSize();
      try (NativeScope scope = NativeScope.open()) {
        ConditionalSampler.Draw c = sampler.train(b, rng);
        Tensor raw = g.forward(model.input(noise(b), c, b)); // (B, D)
        Tensor fake = GanLosses.activate(raw, transformer.spans(), config.tau());
        Tensor cond = c == null ? null : model.condTensor(c, b);
        Tensor scores = d.forward(cond == null ? fake : Tensors.cat(1, fake, cond), true); // (B / pac, 1)
        Tensor adversarial = GanLosses.generatorLoss(scores);
        Tensor conditional = cond == null ? null : GanLosses.conditionalLoss(raw, cond, dataOffsets, condOffsets, widths);
        Tensor loss = conditional == null ? adversarial : adversarial.add(conditional);
        optG.zeroGrad();
        loss.backward();
        adamStep(optG, g.parameters(), config.generatorLr(), config.weightDecay());
        if (ema != null) ema.update();
        sums[0] += adversarial.item_double();
        sums[1] += conditional == null ? 0 : conditional.item_double();
      }
    }
  }

  /** The reference's Adam (betas 0.5, 0.9; eps 1e-8) with no decoupled decay: {@link #adamStep} adds the L2 term. */
  static AdamW adam(Map<String, Tensor> params) { return new AdamW(params, new AdamW.Hyper(0.5, 0.9, 1e-8, 0)); }

  /**
   * One step of torch.optim.Adam with {@code weight_decay} as the reference CTGAN uses it: {@code grad += wd * param} on every
   * parameter (biases and batch-norm ones included) before the Adam moments, so the decay is scaled by Adam's step
   * size like any gradient. (AdamW's decoupled decay, {@code param *= 1 - lr wd}, on weight matrices only, is a
   * different optimiser: at lr 2e-4 and wd 1e-6 it shrinks a weight by 2e-10 of itself per step, where Adam's L2 term
   * moves a parameter whose loss gradient is near 0 by up to lr per step.)
   */
  static void adamStep(AdamW opt, Map<String, Tensor> params, double lr, double wd) {
    if (wd != 0) try (NativeScope scope = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      for (Tensor p : params.values()) {
        Tensor grad = p.grad();
        if (grad.defined()) grad.add_(p, Tensors.scalar(wd));
      }
    }
    opt.step(lr);
  }

  static int[] permutation(int n, Random rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1), t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static long[] toLongs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
}

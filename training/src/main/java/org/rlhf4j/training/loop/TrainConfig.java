package org.rlhf4j.training.loop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.optim.Schedule;

/**
 * Everything the {@link Trainer} needs to know besides the algorithm. Immutable; validated on
 * construction. Start from {@link #defaults(Path)} and change fields with {@link #toBuilder()}.
 *
 * @param lr              peak learning rate
 * @param minLrRatio      final learning rate as a fraction of {@code lr} (cosine/linear)
 * @param warmupSteps     optimizer steps of linear warmup
 * @param schedule        decay after warmup
 * @param maxSteps        optimizer steps of the whole run
 * @param gradAccumulation micro-batches per optimizer step
 * @param maxGradNorm     global gradient-norm clip; {@code <= 0} turns clipping off
 * @param weightDecay     AdamW decoupled weight decay (never applied to norms and biases)
 * @param autocast        F32 (off) or BF16 autocast around the forward; weights stay F32
 * @param evalEvery       steps between evaluations; 0 turns evaluation off
 * @param saveEvery       steps between checkpoints; 0 saves only at the end
 * @param keepCheckpoints newest checkpoints kept on disk (>= 1)
 * @param resume          continue from the latest checkpoint in {@code outputDir} when there is one
 * @param lrScales        parameter-name prefix -> learning-rate multiplier (PyTorch's param groups with their own lr;
 *                        e.g. PPO's value head at 100x the policy's); the longest matching prefix wins, other
 *                        parameters take {@code lr}; every prefix must match a trainable parameter
 */
public record TrainConfig(double lr, double minLrRatio, int warmupSteps, Schedule schedule, int maxSteps,
    int gradAccumulation, double maxGradNorm, double weightDecay, double beta1, double beta2, double eps,
    DType autocast, long seed, int logEvery, int evalEvery, int saveEvery, int keepCheckpoints, boolean resume,
    Path outputDir, Map<String, Double> lrScales) {

  public TrainConfig {
    require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
    require(minLrRatio >= 0 && minLrRatio <= 1, "minLrRatio must be in [0, 1], got " + minLrRatio);
    require(warmupSteps >= 0, "warmupSteps must be >= 0, got " + warmupSteps);
    require(schedule != null, "schedule is required (cosine, linear or constant)");
    require(maxSteps >= 1, "maxSteps must be >= 1, got " + maxSteps);
    require(gradAccumulation >= 1, "gradAccumulation must be >= 1, got " + gradAccumulation);
    require(!Double.isNaN(maxGradNorm), "maxGradNorm must be a number (<= 0 turns clipping off)");
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be >= 0, got " + weightDecay);
    require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
    require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
    require(eps > 0, "eps must be > 0, got " + eps);
    require(autocast == DType.F32 || autocast == DType.BF16, "autocast must be F32 or BF16, got " + autocast);
    require(logEvery >= 1, "logEvery must be >= 1, got " + logEvery);
    require(evalEvery >= 0, "evalEvery must be >= 0 (0 = off), got " + evalEvery);
    require(saveEvery >= 0, "saveEvery must be >= 0 (0 = only at the end), got " + saveEvery);
    require(keepCheckpoints >= 1, "keepCheckpoints must be >= 1, got " + keepCheckpoints);
    require(outputDir != null, "outputDir is required");
    if (lrScales == null) lrScales = Map.of();
    lrScales.forEach((prefix, scale) -> require(prefix != null && !prefix.isEmpty() && scale != null && scale > 0
        && Double.isFinite(scale), "lr_scales needs non-empty parameter-name prefixes and multipliers > 0, got '"
        + prefix + "': " + scale));
    lrScales = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(lrScales));
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException("TrainConfig: " + message);
  }

  /**
   * lr 5e-5, min ratio 0.1, no warmup, cosine, 1000 steps, no accumulation, clip at 1.0, weight
   * decay 0.0, betas (0.9, 0.999), eps 1e-8, F32, seed 42, log every 10, no eval, save every
   * 500, keep 2 checkpoints, no resume.
   */
  public static TrainConfig defaults(Path outputDir) {
    return new TrainConfig(5e-5, 0.1, 0, Schedule.COSINE, 1000, 1, 1.0, 0.0, 0.9, 0.999, 1e-8, DType.F32, 42L,
        10, 0, 500, 2, false, outputDir, Map.of());
  }

  public Builder toBuilder() { return new Builder(this); }

  /** The config as a JSON-ready map (what {@code train_config.json} and {@code trainer_state.json} hold). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lr", lr);
    m.put("min_lr_ratio", minLrRatio);
    m.put("warmup_steps", warmupSteps);
    m.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
    m.put("max_steps", maxSteps);
    m.put("grad_accumulation", gradAccumulation);
    m.put("max_grad_norm", maxGradNorm);
    m.put("weight_decay", weightDecay);
    m.put("beta1", beta1);
    m.put("beta2", beta2);
    m.put("eps", eps);
    m.put("autocast", autocast.name().toLowerCase(java.util.Locale.ROOT));
    m.put("seed", seed);
    m.put("log_every", logEvery);
    m.put("eval_every", evalEvery);
    m.put("save_every", saveEvery);
    m.put("keep_checkpoints", keepCheckpoints);
    m.put("resume", resume);
    m.put("output_dir", outputDir.toString());
    m.put("lr_scales", new LinkedHashMap<>(lrScales));
    return m;
  }

  /** The keys of {@link #toMap()} and {@link #fromMap}. */
  public static final java.util.List<String> KEYS = java.util.List.copyOf(defaults(Path.of(".")).toMap().keySet());

  /**
   * A config from snake_case keys (as in {@link #toMap()}, e.g. parsed from YAML or JSON) over
   * {@link #defaults(Path)}. Numbers may be given as strings ("1e-4"); unknown keys and values
   * of the wrong type are errors naming the key.
   */
  public static TrainConfig fromMap(Map<String, ?> values, Path outputDir) {
    Builder b = defaults(outputDir).toBuilder();
    for (var e : values.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "lr" -> b.lr(real(k, v));
        case "min_lr_ratio" -> b.minLrRatio(real(k, v));
        case "warmup_steps" -> b.warmupSteps((int) integer(k, v));
        case "schedule" -> b.schedule(Schedule.parse(String.valueOf(v)));
        case "max_steps" -> b.maxSteps((int) integer(k, v));
        case "grad_accumulation" -> b.gradAccumulation((int) integer(k, v));
        case "max_grad_norm" -> b.maxGradNorm(real(k, v));
        case "weight_decay" -> b.weightDecay(real(k, v));
        case "beta1" -> b.beta1(real(k, v));
        case "beta2" -> b.beta2(real(k, v));
        case "eps" -> b.eps(real(k, v));
        case "autocast" -> b.autocast(DType.parse(String.valueOf(v)));
        case "seed" -> b.seed(integer(k, v));
        case "log_every" -> b.logEvery((int) integer(k, v));
        case "eval_every" -> b.evalEvery((int) integer(k, v));
        case "save_every" -> b.saveEvery((int) integer(k, v));
        case "keep_checkpoints" -> b.keepCheckpoints((int) integer(k, v));
        case "resume" -> b.resume(bool(k, v));
        case "output_dir" -> b.outputDir(Path.of(String.valueOf(v)));
        case "lr_scales" -> b.lrScales(scales(k, v));
        default -> throw new IllegalArgumentException("TrainConfig: unknown key '" + k + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    return b.build();
  }

  private static double real(String key, Object v) {
    if (v instanceof Number n) return n.doubleValue();
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TrainConfig: '" + key + "' must be a number, got '" + v + "'");
    }
  }

  private static Map<String, Double> scales(String key, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("TrainConfig: '" + key + "' must be a map of parameter-name prefix to multiplier, "
          + "e.g. {\"v_head.\": 100}, got '" + v + "'");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((prefix, scale) -> out.put(String.valueOf(prefix), real(key + "." + prefix, scale)));
    return out;
  }

  private static long integer(String key, Object v) {
    double d = real(key, v);
    if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE / 2.0) {
      throw new IllegalArgumentException("TrainConfig: '" + key + "' must be a whole number, got '" + v + "'");
    }
    return (long) d;
  }

  private static boolean bool(String key, Object v) {
    if (v instanceof Boolean x) return x;
    String t = String.valueOf(v).trim();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) return Boolean.parseBoolean(t);
    throw new IllegalArgumentException("TrainConfig: '" + key + "' must be true or false, got '" + v + "'");
  }

  /** Fluent copy-and-change; {@link #build()} validates. */
  public static final class Builder {
    private double lr, minLrRatio, maxGradNorm, weightDecay, beta1, beta2, eps;
    private int warmupSteps, maxSteps, gradAccumulation, logEvery, evalEvery, saveEvery, keepCheckpoints;
    private Schedule schedule;
    private DType autocast;
    private long seed;
    private boolean resume;
    private Path outputDir;
    private Map<String, Double> lrScales;

    private Builder(TrainConfig c) {
      lr = c.lr; minLrRatio = c.minLrRatio; warmupSteps = c.warmupSteps; schedule = c.schedule;
      maxSteps = c.maxSteps; gradAccumulation = c.gradAccumulation; maxGradNorm = c.maxGradNorm;
      weightDecay = c.weightDecay; beta1 = c.beta1; beta2 = c.beta2; eps = c.eps; autocast = c.autocast;
      seed = c.seed; logEvery = c.logEvery; evalEvery = c.evalEvery; saveEvery = c.saveEvery;
      keepCheckpoints = c.keepCheckpoints; resume = c.resume; outputDir = c.outputDir; lrScales = c.lrScales;
    }

    public Builder lr(double v) { lr = v; return this; }
    public Builder minLrRatio(double v) { minLrRatio = v; return this; }
    public Builder warmupSteps(int v) { warmupSteps = v; return this; }
    public Builder schedule(Schedule v) { schedule = v; return this; }
    public Builder maxSteps(int v) { maxSteps = v; return this; }
    public Builder gradAccumulation(int v) { gradAccumulation = v; return this; }
    public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
    public Builder weightDecay(double v) { weightDecay = v; return this; }
    public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
    public Builder beta1(double v) { beta1 = v; return this; }
    public Builder beta2(double v) { beta2 = v; return this; }
    public Builder eps(double v) { eps = v; return this; }
    public Builder autocast(DType v) { autocast = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder logEvery(int v) { logEvery = v; return this; }
    public Builder evalEvery(int v) { evalEvery = v; return this; }
    public Builder saveEvery(int v) { saveEvery = v; return this; }
    public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
    public Builder resume(boolean v) { resume = v; return this; }
    public Builder outputDir(Path v) { outputDir = v; return this; }
    public Builder lrScales(Map<String, Double> v) { lrScales = v; return this; }
    /** {@link #lrScales} plus one prefix. */
    public Builder lrScale(String prefix, double scale) {
      Map<String, Double> m = new LinkedHashMap<>(lrScales);
      m.put(prefix, scale);
      lrScales = m;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(lr, minLrRatio, warmupSteps, schedule, maxSteps, gradAccumulation, maxGradNorm,
          weightDecay, beta1, beta2, eps, autocast, seed, logEvery, evalEvery, saveEvery, keepCheckpoints, resume,
          outputDir, lrScales);
    }
  }
}

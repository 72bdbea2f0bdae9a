package org.rlhf4j.training.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.NativeScope;

/**
 * AdamW with decoupled weight decay and bias correction: the update of
 * {@code torch.optim.AdamW} (single-tensor path, {@code amsgrad=False}), one parameter at a
 * time with in-place libtorch ops under no-grad. Norm weights and biases get no weight decay
 * (see {@link #decays}). Parameters whose gradient is undefined are skipped, as in PyTorch; a
 * tensor listed under several names (tied weights) is updated once, under its first name.
 *
 * <p>The state is plain named tensors ({@link #state()}: {@code <param>.exp_avg},
 * {@code <param>.exp_avg_sq}, {@code <param>.step}) that save to safetensors and load back
 * with {@link #loadState}. Construct the optimizer outside any {@code NativeScope}: its state
 * tensors live as long as it does. bytedeco 2.10 exposes no fused or foreach AdamW kernel,
 * so this is the per-tensor loop PyTorch itself runs on CPU.
 *
 * <p>Learning-rate scales play the part of PyTorch's param groups with their own {@code lr}: a parameter whose name
 * starts with a given prefix (the longest such prefix) steps at {@code lr * scale}.
 */
public final class AdamW {
  private final Hyper hyper;
  private final List<ParamState> states = new ArrayList<>();

  /** Betas, epsilon and weight decay (PyTorch defaults: 0.9, 0.999, 1e-8, 0.01). */
  public record Hyper(double beta1, double beta2, double eps, double weightDecay) {
    public Hyper {
      if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
      if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
      if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
      if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
        throw new IllegalArgumentException("weightDecay must be >= 0 and finite, got " + weightDecay);
      }
    }

    public static Hyper defaults() { return new Hyper(0.9, 0.999, 1e-8, 0.01); }
  }

  private static final class ParamState {
    final String name;
    final Tensor param;
    final boolean decay;
    final Tensor expAvg;
    final Tensor expAvgSq;
    final double lrScale;
    long step;

    ParamState(String name, Tensor param, double lrScale) {
      this.name = name;
      this.param = param;
      this.lrScale = lrScale;
      this.decay = decays(name, param);
      this.expAvg = torch.empty_like(param).zero_(); // same shape as param
      this.expAvgSq = torch.empty_like(param).zero_(); // same shape as param
    }
  }

  /** {@code params}: the trainable tensors by name (e.g. {@code model.parameters()}). */
  public AdamW(Map<String, Tensor> params, Hyper hyper) { this(params, hyper, Map.of()); }

  /**
   * {@code lrScales}: parameter-name prefix -> learning-rate multiplier (> 0); every prefix must match a parameter
   * (a misspelt one is an error, not a silent no-op).
   */
  public AdamW(Map<String, Tensor> params, Hyper hyper, Map<String, Double> lrScales) {
    if (params.isEmpty()) throw new IllegalArgumentException("AdamW needs at least one parameter");
    this.hyper = hyper;
    Set<Long> seen = new HashSet<>();
    Set<String> used = new HashSet<>();
    params.forEach((name, p) -> {
      if (!p.is_floating_point()) throw new IllegalArgumentException("parameter '" + name + "' is not floating point");
      String prefix = lrScales.keySet().stream().filter(name::startsWith).max(java.util.Comparator.comparingInt(String::length))
          .orElse(null);
      if (prefix != null) used.add(prefix);
      double scale = prefix == null ? 1.0 : lrScales.get(prefix);
      if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("lr scale of '" + prefix + "' must be > 0, got " + scale);
      // A tied tensor listed under two names (lm_head.weight = embed_tokens.weight) is one parameter.
      if (seen.add(p.unsafeGetTensorImpl().address())) states.add(new ParamState(name, p, scale));
    });
    for (String prefix : lrScales.keySet()) {
      if (!used.contains(prefix)) {
        throw new IllegalArgumentException("lr scale prefix '" + prefix + "' matches no trainable parameter (names start like '"
            + params.keySet().iterator().next() + "')");
      }
    }
  }

  public Hyper hyper() { return hyper; }

  /**
   * True when {@code name} gets weight decay: every tensor of 2 or more dimensions except
   * those whose name contains "norm", "bias" or "ln_" (LayerNorm/RMSNorm weights, biases).
   */
  public static boolean decays(String name, Tensor param) {
    String n = name.toLowerCase(Locale.ROOT);
    return param.dim() >= 2 && !n.contains("norm") && !n.contains("bias") && !n.contains("ln_");
  }

  /** Applies one update at learning rate {@code lr} using the current gradients. */
  public void step(double lr) {
    if (!(lr >= 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be >= 0 and finite, got " + lr);
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard(); // freed (and grad mode restored) when the scope closes
      for (ParamState s : states) {
        Tensor g = s.param.grad();
        if (g.defined()) update(s, g, lr * s.lrScale);
      }
    }
  }

  private void update(ParamState s, Tensor grad, double lr) {
    double b1 = hyper.beta1, b2 = hyper.beta2;
    s.step++;
    if (s.decay && hyper.weightDecay != 0) s.param.mul_(new Scalar(1 - lr * hyper.weightDecay));
    s.expAvg.lerp_(grad, new Scalar(1 - b1)); // m = b1 m + (1 - b1) g
    s.expAvgSq.mul_(new Scalar(b2)).addcmul_(grad, grad, new Scalar(1 - b2)); // v = b2 v + (1 - b2) g^2
    double biasCorrection1 = 1 - Math.pow(b1, s.step);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, s.step));
    Tensor denom = s.expAvgSq.sqrt().div_(new Scalar(biasCorrection2Sqrt)).add_(new Scalar(hyper.eps)); // same shape
    s.param.addcdiv_(s.expAvg, denom, new Scalar(-lr / biasCorrection1));
  }

  /** Drops every gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
  public void zeroGrad() {
    for (ParamState s : states) {
      if (s.param.grad().defined()) s.param.mutable_grad().reset();
    }
  }

  /** The step count of parameter {@code name} (0 before its first update). */
  public long stepCount(String name) {
    for (ParamState s : states) if (s.name.equals(name)) return s.step;
    throw new IllegalArgumentException("no parameter named '" + name + "'");
  }

  /**
   * The optimizer state as named tensors: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq}
   * (views of the live state) and {@code <param>.step} (a new float32 tensor of shape (1,)).
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParamState s : states) {
      out.put(s.name + ".exp_avg", s.expAvg);
      out.put(s.name + ".exp_avg_sq", s.expAvgSq);
      out.put(s.name + ".step", torch.full(new long[] {1}, new Scalar((float) s.step))); // (1,)
    }
    return Collections.unmodifiableMap(out);
  }

  /** Restores state written by {@link #state()}; every key must be present with the right shape. */
  public void loadState(Map<String, Tensor> saved) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard();
      for (ParamState s : states) {
        copyInto(s.expAvg, require(saved, s.name + ".exp_avg", s.expAvg));
        copyInto(s.expAvgSq, require(saved, s.name + ".exp_avg_sq", s.expAvgSq));
        Tensor step = saved.get(s.name + ".step");
        if (step == null) throw new IllegalArgumentException("optimizer state has no '" + s.name + ".step'");
        s.step = Math.round(step.to(torch.ScalarType.Double).sum().item_double());
      }
    }
  }

  private static Tensor require(Map<String, Tensor> saved, String key, Tensor like) {
    Tensor t = saved.get(key);
    if (t == null) throw new IllegalArgumentException("optimizer state has no '" + key + "'");
    long[] have = shape(t), want = shape(like);
    if (!Arrays.equals(have, want)) {
      throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Arrays.toString(have)
          + ", expected " + Arrays.toString(want));
    }
    return t;
  }

  static long[] shape(Tensor t) {
    long[] s = new long[(int) t.dim()];
    for (int i = 0; i < s.length; i++) s[i] = t.size(i);
    return s;
  }

  private static void copyInto(Tensor dst, Tensor src) { dst.copy_(src); }
}

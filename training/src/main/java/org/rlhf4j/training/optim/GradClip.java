package org.rlhf4j.training.optim;

import java.util.Collection;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.NativeScope;

/** Gradient norm and clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
  private GradClip() {}

  /** The global L2 norm of all defined gradients (0 when none has a gradient). */
  public static double globalNorm(Collection<Tensor> params) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard(); // freed (and grad mode restored) when the scope closes
      TensorVector norms = new TensorVector();
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g.defined()) norms.push_back(g.norm().to(torch.ScalarType.Float)); // () per parameter
      }
      if (norms.size() == 0) return 0;
      return torch.stack(norms).norm().item_double(); // (P,) -> ()
    }
  }

  /**
   * Scales all gradients in place so their global L2 norm is at most {@code maxNorm}
   * (coefficient {@code maxNorm / (norm + 1e-6)}, clamped to 1, as in PyTorch) and returns
   * the norm before clipping. {@code maxNorm <= 0} only measures.
   */
  public static double clip(Collection<Tensor> params, double maxNorm) {
    double norm = globalNorm(params);
    if (maxNorm <= 0 || !Double.isFinite(norm)) return norm;
    double coef = maxNorm / (norm + 1e-6);
    if (coef >= 1.0) return norm;
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard();
      Scalar c = new Scalar(coef);
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g.defined()) g.mul_(c);
      }
    }
    return norm;
  }
}

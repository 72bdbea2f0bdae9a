package org.rlhf4j.synth.ctgan;

import java.util.List;
import java.util.function.Function;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GumbelSoftmaxFuncOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.synth.transform.Span;

/** CTGAN's losses and output activation as small pure functions over tensors. */
public final class GanLosses {
  private GanLosses() {}

  /** tanh on scalar spans, Gumbel-softmax at temperature {@code tau} on one-hot spans. (B, D) -> (B, D) */
  public static Tensor activate(Tensor raw, List<Span> spans, double tau) {
    Tensor[] parts = new Tensor[spans.size()];
    long at = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      Tensor x = raw.narrow(1, at, s.width()); // (B, w)
      if (s.activation() == Span.Activation.TANH) {
        parts[i] = torch.tanh(x);
      } else {
        GumbelSoftmaxFuncOptions o = new GumbelSoftmaxFuncOptions();
        o.tau().put(tau);
        o.hard().put(false);
        o.dim().put(-1);
        parts[i] = torch.gumbel_softmax(x, o);
      }
      at += s.width();
    }
    return Tensors.cat(1, parts);
  }

  /**
   * The generator's conditional loss: for each row, the cross-entropy between the raw logits of the conditioned
   * column and the condition's category, summed over the discrete columns (the condition is zero for every column but
   * the chosen one) and averaged over the batch. {@code dataOffsets[j]}, {@code condOffsets[j]}, {@code widths[j]}
   * locate discrete column j in a data row and in a conditional vector. () scalar.
   */
  public static Tensor conditionalLoss(Tensor raw, Tensor cond, int[] dataOffsets, int[] condOffsets, int[] widths) {
    Tensor total = null;
    for (int j = 0; j < widths.length; j++) {
      Tensor logp = torch.log_softmax(raw.narrow(1, dataOffsets[j], widths[j]), 1); // (B, w_j)
      Tensor term = logp.mul(cond.narrow(1, condOffsets[j], widths[j])).sum(); // ()
      total = total == null ? term : total.add(term);
    }
    return total.neg().div(Tensors.scalar(raw.size(0)));
  }

  /** The WGAN critic loss {@code -(mean D(real) - mean D(fake))}. */
  public static Tensor criticLoss(Tensor realScores, Tensor fakeScores) {
    return fakeScores.mean().sub(realScores.mean());
  }

  /** The generator's adversarial loss {@code -mean D(fake)}. */
  public static Tensor generatorLoss(Tensor fakeScores) {
    return fakeScores.mean().neg();
  }

  /**
   * WGAN-GP's gradient penalty for a PacGAN critic: one interpolation weight per pack of {@code pac} rows,
   * {@code x = a real + (1 - a) fake}; the gradient of the critic's scores w.r.t. x, flattened per pack, is pushed to
   * unit norm: {@code lambda * mean((||grad|| - 1)^2)}. The graph of the gradient is kept so the penalty trains the
   * critic. {@code alpha} is (B / pac, 1). () scalar.
   */
  public static Tensor gradientPenalty(Function<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor alpha, int pac,
      double lambda) {
    long b = real.size(0), w = real.size(1);
    Tensor a = alpha.reshape(-1, 1, 1).expand(new long[] {b / pac, pac, w}).reshape(b, w); // (B, W)
    Tensor x = a.mul(real).add(a.neg().add(Tensors.scalar(1)).mul(fake)).detach().requires_grad_(true); // (B, W)
    Tensor scores = critic.apply(x); // (B / pac, 1)
    TensorVector grads = torch.grad(new TensorVector(scores), new TensorVector(x), new TensorVector(torch.ones_like(scores)),
        new BoolOptional(true), true, false);
    Tensor g = grads.get(0).reshape(-1, pac * w); // (B / pac, pac * W)
    Tensor norm = g.mul(g).sum(1).add(Tensors.scalar(1e-12)).sqrt(); // (B / pac,)
    Tensor dev = norm.sub(Tensors.scalar(1));
    return dev.mul(dev).mean().mul(Tensors.scalar(lambda));
  }
}

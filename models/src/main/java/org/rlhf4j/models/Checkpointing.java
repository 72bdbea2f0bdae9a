package org.rlhf4j.models;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.FunctionPreHook;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.NativeScope;

/**
 * Gradient (activation) checkpointing of one transformer block, as torch.utils.checkpoint's reentrant variant:
 * the forward runs without recording a graph (only the block's output is kept), and when the output's gradient
 * arrives during backward the block is run again from its saved input with the graph recorded and
 * back-propagated through, which accumulates the parameters' gradients and hands the input's gradient on.
 *
 * <p>The block's output is tied to its input by {@code y + (x - x.detach())} (exactly y in value, the identity in
 * gradient); a pre-hook on the autograd node of {@code x - x.detach()} does the recompute and replaces the identity's
 * gradient by the true one (a {@code FunctionPreHook} subclass: JavaCPP's function-pointer hooks allow only ten live
 * instances, too few for a deep model). The CPU generator state is saved before the forward and restored for the recompute, so dropout
 * draws the same masks. A block must map (..., C) to the same shape (transformer blocks do).
 */
public final class Checkpointing {
  private static final ThreadLocal<int[]> RECOMPUTABLE = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<java.util.Set<Recompute>> PENDING =
      ThreadLocal.withInitial(() -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

  private Checkpointing() {}

  /**
   * Whether the current forward trains (records gradients now, or will when a checkpointed block is recomputed):
   * what dropout asks instead of {@code GradMode}, so the first pass and the recompute agree.
   */
  public static boolean training() { return GradMode.is_enabled() || RECOMPUTABLE.get()[0] > 0; }

  /** {@code block(x)} with its activations recomputed in backward; a plain call when no gradient is recorded. */
  public static Tensor block(Tensor x, UnaryOperator<Tensor> block) {
    if (!GradMode.is_enabled()) return block.apply(x);
    Tensor rng = torch.getDefaultCPUGenerator().get_state();
    Tensor y;
    RECOMPUTABLE.get()[0]++;
    try {
      y = NativeScope.call(() -> {
        try (NoGradGuard g = new NoGradGuard()) {
          return block.apply(x);                                             // (..., C), no graph
        }
      });
    } finally {
      RECOMPUTABLE.get()[0]--;
    }
    Tensor input = x.detach();
    Tensor source = x.requires_grad() ? x : input.clone().requires_grad_(true); // a leaf so the hook still fires
    Tensor link = source.sub(source.detach());                                  // 0, gradient identity
    Recompute hook = new Recompute(input, rng, block);
    link.grad_fn().add_pre_hook(hook); // the graph node owns the native hook from here on
    hook.deallocate(false);            // so the Java side must never free it
    PENDING.get().add(hook);           // and keeps the Java object reachable until it has run
    return y.add(link);                                                         // (..., C) == y
  }

  /** Runs a block again with its graph recorded and back-propagates the output's gradient through it. */
  private static final class Recompute extends FunctionPreHook {
    private final Tensor input, rng;
    private final UnaryOperator<Tensor> block;

    Recompute(Tensor input, Tensor rng, UnaryOperator<Tensor> block) {
      this.input = input;
      this.rng = rng;
      this.block = block;
    }

    @Override public TensorVector apply(TensorVector grads) {
      PENDING.get().remove(this);
      return new TensorVector(recompute(input, grads.get(0), rng, block));
    }
  }

  /** Recomputes whose backward never came (a forward with gradients but no backward), dropped; the Trainer calls it per step. */
  public static void release() { PENDING.get().clear(); }

  private static Tensor recompute(Tensor input, Tensor gradOut, Tensor rng, UnaryOperator<Tensor> block) {
    try (NativeScope s = NativeScope.open(); AutoGradMode on = new AutoGradMode(true)) {
      Tensor after = torch.getDefaultCPUGenerator().get_state();
      torch.getDefaultCPUGenerator().set_state(rng);
      Tensor xr = input.detach().requires_grad_(true);
      Tensor yr = block.apply(xr);                                              // (..., C), graph recorded
      torch.getDefaultCPUGenerator().set_state(after);
      torch.backward(new TensorVector(yr), new TensorVector(gradOut), new org.bytedeco.pytorch.BoolOptional(false), false,
          new TensorVector());
      Tensor g = xr.grad();
      return s.keep(g.defined() ? g : torch.zeros_like(input));
    }
  }
}

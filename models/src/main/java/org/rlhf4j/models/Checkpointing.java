package org.rlhf4j.models;

import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Autocast;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;

/**
 * Gradient (activation) checkpointing of a stack of transformer blocks, without autograd hooks: the forward runs
 * every block without recording a graph (each in its own native scope, so its activations are freed at once) and
 * keeps only the blocks' inputs; the stack's output becomes a leaf of the graph the loss is built on, and a
 * {@link Backprop.Segment} is deferred that, after the loss's backward left a gradient on that leaf, recomputes
 * the blocks one at a time, last first, with the graph recorded, and back-propagates the gradient through each
 * (into its parameters, and on to its input), then through the graph that fed the stack (the embeddings).
 * Trainers must therefore run backward through {@link Backprop#backward}.
 *
 * <p>The recompute replays what the first pass saw: libtorch's default CPU generator state before each block (so
 * LoRA dropout draws the same masks; dropout asks {@link Backprop#training()}) and the autocast dtype. Blocks map
 * (..., C) to the same shape. CUDA generator state is not replayed (the CPU natives have none), so dropout with
 * checkpointing on a GPU would differ from the plain backward.
 */
public final class Checkpointing {
  private Checkpointing() {}

  /**
   * {@code x} through {@code blocks}; checkpointed when {@code on} and gradients are recorded, else a plain
   * chain.
   */
  public static Tensor blocks(Tensor x, List<UnaryOperator<Tensor>> blocks, boolean on) {
    return blocks(x, blocks, on, false);
  }

  /**
   * As {@link #blocks(Tensor, List, boolean)}; with {@code scoped} the plain chain runs each block in its own native
   * scope too, keeping only its output, so the Java handles of its intermediates (which would hold them until the
   * step's scope closes) are dropped at once: a forward without gradients (a reference model) then holds one block's
   * activations instead of every block's, and one with gradients holds what autograd saved (its own references).
   * Not for blocks that store tensors outside themselves (a KV cache).
   */
  public static Tensor blocks(Tensor x, List<UnaryOperator<Tensor>> blocks, boolean on, boolean scoped) {
    if (!on || !GradMode.is_enabled() || blocks.isEmpty()) {
      Tensor h = x;
      for (UnaryOperator<Tensor> b : blocks) {
        Tensor in = h;
        h = scoped ? NativeScope.call(() -> b.apply(in)) : b.apply(in);     // (..., C)
      }
      return h;
    }
    int n = blocks.size();
    Tensor[] inputs = new Tensor[n];
    Tensor[] rng = new Tensor[n];
    Generator gen = torch.getDefaultCPUGenerator();
    Tensor h = x.detach();                                                  // (..., C)
    for (int i = 0; i < n; i++) {
      inputs[i] = h;
      rng[i] = gen.get_state();
      UnaryOperator<Tensor> b = blocks.get(i);
      Tensor in = h;
      h = NativeScope.call(() -> Backprop.withoutGraph(() -> b.apply(in))); // (..., C), its activations freed
    }
    Tensor out = h.requires_grad_(true);                                    // a leaf: the loss's backward stops here
    Backprop.defer(new Replay(x, inputs, rng, blocks, out, Autocast.current(Device.of(x))));
    return out;
  }

  /** The deferred backward of one checkpointed stack. */
  private record Replay(Tensor x, Tensor[] inputs, Tensor[] rng, List<UnaryOperator<Tensor>> blocks, Tensor out,
      DType autocast) implements Backprop.Segment {
    @Override public void backward() {
      Tensor g = out.grad();                                                // (..., C)
      if (!g.defined()) return;                                             // the loss did not use this forward
      Device device = Device.of(x);
      for (int i = blocks.size() - 1; i >= 0; i--) {
        boolean needInput = i > 0 || x.requires_grad();
        g = recompute(i, g, needInput, device);
        if (g == null) return;                                              // nothing below needs a gradient
      }
      if (x.requires_grad()) Backprop.propagate(x, g);
    }

    /** Block {@code i} again with its graph recorded, back-propagated from {@code gradOut}; its input's gradient. */
    private Tensor recompute(int i, Tensor gradOut, boolean needInput, Device device) {
      try (NativeScope s = NativeScope.open()) {
        Generator gen = torch.getDefaultCPUGenerator();
        Tensor after = gen.get_state();
        gen.set_state(rng[i]);
        Tensor xi = inputs[i].detach().requires_grad_(needInput);          // (..., C)
        Tensor y;
        try (Autocast ac = Autocast.enable(device, autocast)) {
          y = blocks.get(i).apply(xi);                                      // (..., C), graph recorded
        } finally {
          gen.set_state(after);
        }
        if (y.requires_grad()) Backprop.propagate(y, gradOut);
        if (!needInput) return null;
        Tensor gx = xi.grad();                      // a reference into xi, which this scope frees: detach owns it
        return s.keep(gx.defined() ? gx.detach() : torch.zeros_like(xi));
      }
    }
  }
}

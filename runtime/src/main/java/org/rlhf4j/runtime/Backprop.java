package org.rlhf4j.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Backward passes with deferred segments: the driver of gradient (activation) checkpointing without autograd
 * hooks. A forward that runs part of a model without recording a graph (keeping only that part's inputs) hands
 * {@link #defer} a {@link Segment}; {@link #backward} first back-propagates the loss through the recorded graph,
 * which leaves the gradient on each segment's output (a leaf), then runs the segments' own backwards, newest
 * first, each recomputing its part with the graph recorded and back-propagating that gradient through it into the
 * parameters and on into the graph that fed the segment.
 *
 * <p>Everything here is per thread, like libtorch's grad mode and JavaCPP's scopes: the forward, {@link #backward}
 * and {@link #discard} of one step run on one thread, inside the step's {@link NativeScope} (the segments hold
 * tensors of that scope, so {@code discard} before it closes when a step ends without a backward).
 */
public final class Backprop {
  /** One deferred part of a backward pass. */
  public interface Segment {
    /** Back-propagates the gradient its output received (nothing when it received none). */
    void backward();
  }

  private static final ThreadLocal<Deque<Segment>> PENDING = ThreadLocal.withInitial(ArrayDeque::new);
  private static final ThreadLocal<int[]> REPLAYABLE = ThreadLocal.withInitial(() -> new int[1]);

  private Backprop() {}

  /** Registers a segment whose backward runs after the next {@link #backward}'s graph pass. */
  public static void defer(Segment s) {
    if (s == null) throw new IllegalArgumentException("Backprop.defer: segment is null");
    PENDING.get().push(s);
  }

  /** {@code loss.backward()}, then every deferred segment's backward, newest first. */
  public static void backward(Tensor loss) {
    loss.backward();
    Deque<Segment> pending = PENDING.get();
    try {
      while (!pending.isEmpty()) pending.pop().backward();
    } finally {
      pending.clear();
    }
  }

  /**
   * A leaf standing in for {@code x} in what is built on it, with a segment deferred now (so it runs after every
   * segment deferred later, e.g. a chunked LM head's recompute) that hands the leaf's accumulated gradient on into
   * {@code x}'s own graph. Several consumers of {@code x} (the log-probs' deferred recompute and a value head read by
   * the loss itself) then share it, and {@code x}'s graph is walked once, after all of them. {@code x} itself when
   * no gradient is recorded for it.
   */
  public static Tensor branch(Tensor x) {
    if (!GradMode.is_enabled() || !x.requires_grad()) return x;
    Tensor leaf = x.detach().requires_grad_(true);
    defer(() -> {
      Tensor g = leaf.grad();
      if (g.defined()) propagate(x, g.detach());
    });
    return leaf;
  }

  /**
   * {@code torch::autograd::backward({y}, {gradient})} into every leaf, without retaining the graph (what a segment's
   * backward does; Tensor.backward(gradient, ...) aborts in these natives: "Cannot increase refcount after it reached
   * zero", from its optional inputs argument).
   */
  public static void propagate(Tensor y, Tensor gradient) {
    propagate(new org.bytedeco.pytorch.TensorVector(y), new org.bytedeco.pytorch.TensorVector(gradient));
  }

  /** As {@link #propagate(Tensor, Tensor)} for several roots in one backward (graphs that share nodes are walked once). */
  public static void propagate(org.bytedeco.pytorch.TensorVector roots, org.bytedeco.pytorch.TensorVector gradients) {
    org.bytedeco.pytorch.global.torch.backward(roots, gradients, new org.bytedeco.pytorch.BoolOptional(), false,
        new org.bytedeco.pytorch.TensorVector());
  }

  /** Drops deferred segments whose backward never came (a forward with gradients that no loss used). */
  public static void discard() { PENDING.get().clear(); }

  /** How many segments wait for a backward (0 after every {@link #backward}). */
  public static int pending() { return PENDING.get().size(); }

  /**
   * Whether the running forward trains: gradients are recorded now, or it is a segment's first pass without a graph
   * that will be recomputed with one. What train-mode-only operations (dropout) ask instead of grad mode, so that
   * the first pass and the recompute draw alike.
   */
  public static boolean training() { return GradMode.is_enabled() || REPLAYABLE.get()[0] > 0; }

  /** Runs {@code body} without recording a graph, as a segment's first pass ({@link #training()} stays true). */
  public static <T> T withoutGraph(Supplier<T> body) {
    int[] depth = REPLAYABLE.get();
    depth[0]++;
    try (NoGradGuard g = new NoGradGuard()) {
      return body.get();
    } finally {
      depth[0]--;
    }
  }
}

package org.rlhf4j.models;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.rlhf4j.runtime.Autocast;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;

/**
 * Per-token log-probs log_softmax(hidden @ weight^T)[target] computed a chunk of tokens at a time, so the (B, T, V)
 * logits never exist at once: each chunk is (N, C) @ (C, V) -> (N, V), upcast (bf16/f16 to f32), logsumexp and
 * gather -> (N), and its logits are freed with the chunk's native scope.
 *
 * <p>With gradients recorded the forward keeps no per-chunk graph: the result becomes a leaf and a
 * {@link Backprop.Segment} is deferred (as {@link Checkpointing} does for blocks) that, after the loss's backward
 * left a gradient on it, recomputes each chunk's logits with the graph recorded, back-propagates into detached
 * copies of the hidden states and the head weight, and then propagates those two gradients on into the graphs
 * that produced them (the backbone, a checkpointed stack's leaf, LoRA factors). Trainers must therefore run
 * backward through {@link Backprop#backward}. Peak memory of the head is one chunk's logits (plus its softmax in
 * backward) instead of the whole batch's. A frozen head (LoRA, a reference model) needs no recompute: the forward
 * computes each token's gradient with respect to its hidden state with its chunk's logits (W[target] - softmax . W,
 * (n, C)) and plain autograd carries it.
 */
public final class TokenLogprobs {
  /** Chunk size of {@code 0} (auto) aims at this many bytes of f32 logits per chunk. */
  public static final long AUTO_CHUNK_BYTES = 64L << 20;

  private TokenLogprobs() {}

  /** Tokens per chunk: {@code chunkTokens} when positive, else as many as fit {@link #AUTO_CHUNK_BYTES} of f32 logits. */
  public static long chunkSize(long chunkTokens, long vocab) {
    if (chunkTokens > 0) return chunkTokens;
    return Math.max(1, AUTO_CHUNK_BYTES / (4L * vocab));
  }

  /**
   * Log-probs (B, T) and, when asked for, per position the most likely token (B, T) (int64) and the entropy of the
   * softmax (B, T) (f32/f64), both without gradient; null when not asked for.
   */
  public record Scored(Tensor logprobs, Tensor argmax, Tensor entropy) {}

  /**
   * What a chunk computes besides the log-probs: the argmax, the entropy, and (for a frozen head) each token's
   * gradient of its log-prob with respect to its hidden state, W[target] - softmax . W (n, C).
   */
  private record Extras(boolean argmax, boolean entropy, boolean dHidden) {
    Extras(boolean argmax, boolean entropy) { this(argmax, entropy, false); }

    Extras withDHidden() { return new Extras(argmax, entropy, true); }
  }

  /**
   * hidden (B, T, C), weight (V, C), integer targets (B, T) in [0, V): log-probs (B, T) in f32 (f64 for f64
   * inputs). {@code chunkTokens}: tokens per chunk, 0 for auto, -1 for the whole batch at once (one chunk). When
   * everything fits one chunk the logits' graph is simply kept (no deferred recompute: nothing to save).
   */
  public static Tensor compute(Tensor hidden, Tensor weight, Tensor targets, long chunkTokens) {
    return score(hidden, weight, targets, chunkTokens, new Extras(false, false)).logprobs();
  }

  /** As {@link #compute}, with each position's argmax over the vocabulary from the same chunks (token accuracy). */
  public static Scored computeWithArgmax(Tensor hidden, Tensor weight, Tensor targets, long chunkTokens) {
    return score(hidden, weight, targets, chunkTokens, new Extras(true, false));
  }

  /** As {@link #compute}, with each position's entropy of the softmax from the same chunks (a PPO / GRPO metric). */
  public static Scored computeWithEntropy(Tensor hidden, Tensor weight, Tensor targets, long chunkTokens) {
    return score(hidden, weight, targets, chunkTokens, new Extras(false, true));
  }

  private static Scored score(Tensor hidden, Tensor weight, Tensor targets, long chunkTokens, Extras extras) {
    if (hidden.dim() != 3) throw new IllegalArgumentException("hidden must be (B, T, C), got dim " + hidden.dim());
    if (targets.dim() != 2 || targets.size(0) != hidden.size(0) || targets.size(1) != hidden.size(1)) {
      throw new IllegalArgumentException("targets must be (B, T) matching hidden (B, T, C)");
    }
    long b = hidden.size(0), t = hidden.size(1), n = b * t;
    long chunk = chunkTokens < 0 ? Math.max(1, n) : chunkSize(chunkTokens, weight.size(0));
    Tensor tgt = targets.to(ScalarType.Long).reshape(n);                          // (N)
    boolean grad = GradMode.is_enabled() && (hidden.requires_grad() || weight.requires_grad());
    Tensor[] out;
    if (!grad || chunk >= n) {
      out = forwardAll(hidden, weight, tgt, chunk, extras);                       // (N), (N): one chunk keeps its graph
    } else if (!weight.requires_grad()) {
      // A frozen head (LoRA, a reference): d logp_t / d h_t = W[target_t] - softmax_t . W is computed with each chunk's
      // logits in the forward, so backward needs no recompute: logp + (h . u - h' . u) has logp's value (the bracket
      // is exactly 0) and gradient u with respect to h, by plain autograd.
      Tensor[] f = Backprop.withoutGraph(() -> forwardAll(hidden, weight, tgt, chunk, extras.withDHidden()));
      Tensor h = hidden.reshape(n, hidden.size(2)).to(weight.scalar_type());     // (N, C), graph to the backbone
      Tensor u = f[3].to(h.scalar_type());                                        // (N, C), constant
      Tensor lin = h.mul(u).sum(new long[] {1});                                  // (N)
      out = new Tensor[] {f[0].add(lin.sub(lin.detach())), f[1], f[2]};           // (N): value f[0], gradient u
    } else {
      out = Backprop.withoutGraph(() -> forwardAll(hidden, weight, tgt, chunk, extras));
      out[0].requires_grad_(true);
      Backprop.defer(new Replay(hidden, weight, tgt, chunk, out[0], Autocast.current(Device.of(hidden))));
    }
    return new Scored(out[0].reshape(b, t), extras.argmax() ? out[1].reshape(b, t) : null,
        extras.entropy() ? out[2].reshape(b, t) : null);                          // (B, T) each
  }

  /** Every chunk's log-probs (N), concatenated, and their argmax (N) and entropy (N) when asked (else null). */
  private static Tensor[] forwardAll(Tensor hidden, Tensor weight, Tensor tgt, long chunk, Extras extras) {
    long n = tgt.size(0);
    Tensor h = hidden.reshape(n, hidden.size(2));                                 // (N, C)
    if (chunk >= n) return chunkScores(h, weight, tgt, extras);
    TensorVector parts = new TensorVector(), best = new TensorVector(), ent = new TensorVector(), grads = new TensorVector();
    for (long s = 0; s < n; s += chunk) {
      long len = Math.min(chunk, n - s);
      try (NativeScope scope = NativeScope.open()) {                             // frees the chunk's (len, V) logits
        Tensor[] r = chunkScores(h.narrow(0, s, len), weight, tgt.narrow(0, s, len), extras);
        parts.push_back(scope.keep(r[0]));
        if (extras.argmax()) best.push_back(scope.keep(r[1]));
        if (extras.entropy()) ent.push_back(scope.keep(r[2]));
        if (extras.dHidden()) grads.push_back(scope.keep(r[3]));
      }
    }
    return new Tensor[] {torch.cat(parts), extras.argmax() ? torch.cat(best) : null, extras.entropy() ? torch.cat(ent) : null,
        extras.dHidden() ? torch.cat(grads) : null};                              // (N) each, (N, C)
  }

  /** One chunk: (n, C) hidden, (V, C) weight, (n) targets to (n) log-probs. */
  static Tensor chunkLogprobs(Tensor h, Tensor weight, Tensor tgt) {
    return chunkScores(h, weight, tgt, new Extras(false, false))[0];
  }

  /** One chunk's (n) log-probs and, when asked, its (n) argmax, (n) entropy and (n, C) d logp / d h (else null). */
  private static Tensor[] chunkScores(Tensor h, Tensor weight, Tensor tgt, Extras extras) {
    Tensor logits = org.rlhf4j.models.nn.ThinMatmul.linear(h.to(weight.scalar_type()), weight, null); // (n, V); training: oneDNN where faster
    DType dt = DType.of(logits.scalar_type());
    if (dt != DType.F64 && dt != DType.F32) logits = logits.to(ScalarType.Float); // (n, V) f32
    Tensor lse = logits.logsumexp(new long[] {-1}, false);                        // (n)
    Tensor picked = logits.gather(1, tgt.unsqueeze(1)).squeeze(1);               // (n)
    Tensor z = logits.detach();                                                   // (n, V)
    Tensor best = extras.argmax() ? z.argmax(new org.bytedeco.pytorch.LongOptional(1), false) : null; // (n)
    Tensor p = extras.entropy() || extras.dHidden() ? z.softmax(1) : null;        // (n, V), once for both
    Tensor entropy = extras.entropy() ? lse.detach().sub(p.mul(z).sum(new long[] {1})) : null; // lse - sum(softmax(z) z): (n)
    Tensor dh = null;
    if (extras.dHidden()) {                                                      // W[target] - softmax(z) . W
      Tensor w = weight.detach().to(logits.scalar_type());                        // (V, C)
      dh = w.index_select(0, tgt).sub(p.matmul(w));                               // (n, C)
    }
    return new Tensor[] {picked.sub(lse), best, entropy, dh};                     // (n) each, (n, C)
  }

  /** The deferred backward: recompute each chunk with its graph, then hand the gradients to hidden and weight. */
  private record Replay(Tensor hidden, Tensor weight, Tensor tgt, long chunk, Tensor out, DType autocast)
      implements Backprop.Segment {
    @Override public void backward() {
      Tensor g = out.grad();                                                      // (N)
      if (!g.defined()) return;                                                   // the loss did not use it
      long n = tgt.size(0);
      Tensor hLeaf = hidden.detach().requires_grad_(hidden.requires_grad());      // (B, T, C)
      Tensor wLeaf = weight.detach().requires_grad_(weight.requires_grad());      // (V, C)
      Device device = Device.of(hidden);
      for (long s = 0; s < n; s += chunk) {
        long len = Math.min(chunk, n - s);
        try (NativeScope scope = NativeScope.open();
             Autocast ac = Autocast.enable(device, autocast)) {
          Tensor h = hLeaf.reshape(n, hLeaf.size(2)).narrow(0, s, len);          // (n, C)
          Tensor y = chunkLogprobs(h, wLeaf, tgt.narrow(0, s, len));             // (n), graph recorded
          if (y.requires_grad()) Backprop.propagate(y, g.narrow(0, s, len));
        }
      }
      TensorVector roots = new TensorVector(), grads = new TensorVector();       // one backward: the graphs may share nodes
      Tensor gh = hLeaf.grad();
      if (hidden.requires_grad() && gh.defined()) { roots.push_back(hidden); grads.push_back(gh.detach()); }
      Tensor gw = wLeaf.grad();
      if (weight.requires_grad() && gw.defined()) { roots.push_back(weight); grads.push_back(gw.detach()); }
      if (roots.size() > 0) Backprop.propagate(roots, grads);
    }
  }
}

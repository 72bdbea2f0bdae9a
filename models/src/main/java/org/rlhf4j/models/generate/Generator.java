package org.rlhf4j.models.generate;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.KvCache;
import org.rlhf4j.models.Masks;
import org.rlhf4j.models.nn.ThinMatmul;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;

/**
 * Batched autoregressive decoding with a KV cache: prompts are left-padded, every row keeps its
 * own positions, and each row stops at its first stop token.
 */
public final class Generator {
  private Generator() {}

  public static Generation generate(CausalLM model, List<long[]> prompts, int padId, SamplingConfig cfg) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts to generate from");
    int b = prompts.size(), t = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    if (t == 0) throw new IllegalArgumentException("every prompt is empty: at least one token (e.g. BOS) is needed");
    int context = model.config().maxPositions();
    if ((long) t + cfg.maxNewTokens() > context) { // positions past the context are garbage (RoPE) or out of range (GPT-2)
      throw new IllegalArgumentException("a prompt of " + t + " tokens plus " + cfg.maxNewTokens() + " new tokens exceeds the model's "
          + context + " positions (max_position_embeddings): shorten the prompt or ask for at most "
          + Math.max(0, context - t) + " new tokens");
    }
    long[][] ids = new long[b][t], mask = new long[b][t];
    for (int r = 0; r < b; r++) {
      long[] p = prompts.get(r);
      int pad = t - p.length;
      java.util.Arrays.fill(ids[r], 0, pad, padId);
      System.arraycopy(p, 0, ids[r], pad, p.length);
      java.util.Arrays.fill(mask[r], pad, t, 1);
    }
    if (!cfg.greedy()) Runtime.seed(cfg.seed());
    long[][] out = new long[b][cfg.maxNewTokens()];
    float[][] lps = new float[b][cfg.maxNewTokens()];
    int[] lengths = new int[b];
    boolean[] done = new boolean[b];
    // Every projection of a decode step on the Vector API kernel: OpenBLAS (the prompt's matmuls, attention's tiny
    // ones) on one thread for the whole call. At two OpenBLAS threads its workers' spinning cost GPT-2 batch-1 decode
    // ~45 ms of CPU per token (66-70 against 21-24 ms, alternating, load 9-11), more than the prompt gains.
    try (Runtime.BlasScope quiet = ThinMatmul.coversDecode(b, model.dtype(), model.device()) ? Runtime.singleBlasThread() : () -> {};
         NativeScope outer = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      KvCache cache = new KvCache(model.config(), b, t + cfg.maxNewTokens(), model.dtype(), model.device());
      Tensor maskT = Tensors.longs(mask, model.device());                        // (B, T)
      Tensor positions = Masks.positionsFromMask(maskT);                          // (B, T)
      Tensor next = positions.narrow(1, t - 1, 1).add(new Scalar(1));             // (B, 1)
      boolean unpadded = prompts.stream().allMatch(p -> p.length == t); // then attention needs no mask at all
      Tensor logits = model.nextLogits(Tensors.longs(ids, model.device()), unpadded ? null : maskT, positions, cache); // (B, V)
      Tensor ones = Tensors.ones(DType.I64, model.device(), b, 1);                // (B, 1)
      decode(model, cfg, new Steps(logits, unpadded ? null : ones, next, cache, out, lps, lengths, done));
    }
    long[][] trimmed = new long[b][];
    float[][] trimmedLp = new float[b][];
    for (int r = 0; r < b; r++) {
      trimmed[r] = java.util.Arrays.copyOf(out[r], lengths[r]);
      trimmedLp[r] = java.util.Arrays.copyOf(lps[r], lengths[r]);
    }
    return new Generation(prompts.toArray(new long[0][]), trimmed, trimmedLp, done);
  }

  /** The decode loop's state: the first logits, the step inputs, and what is recorded per row. */
  private record Steps(Tensor logits, Tensor ones, Tensor next, KvCache cache, long[][] out, float[][] lps, int[] lengths, boolean[] done) {}

  /** Samples, records and steps until every row stopped or the budget is spent. */
  private static void decode(CausalLM model, SamplingConfig cfg, Steps st) {
    Tensor logits = st.logits();
    for (int step = 0; step < cfg.maxNewTokens(); step++) {
      try (NativeScope s = NativeScope.open()) {
        Tensor[] pick = Sampler.next(logits, cfg);
        long[] tok = Tensors.toLongs(pick[0]);
        float[] lp = Tensors.toFloats(pick[1]);
        boolean all = record(tok, lp, st.out(), st.lps(), st.lengths(), st.done(), cfg);
        if (all || step == cfg.maxNewTokens() - 1) break;
        Tensor step1 = model.nextLogits(pick[0], st.ones(), st.next(), st.cache()); // (B, V)
        st.next().add_(new Scalar(1));
        Tensor previous = logits;
        logits = s.keep(step1);
        previous.close(); // release each step's logits now rather than at the end of generation
      }
    }
  }

  /** Appends one token per unfinished row; returns true when every row is finished. */
  private static boolean record(long[] tok, float[] lp, long[][] out, float[][] lps, int[] lengths, boolean[] done, SamplingConfig cfg) {
    boolean all = true;
    for (int r = 0; r < tok.length; r++) {
      if (done[r]) continue;
      out[r][lengths[r]] = tok[r];
      lps[r][lengths[r]] = lp[r];
      lengths[r]++;
      if (cfg.stopIds().contains((int) tok[r])) done[r] = true;
      all &= done[r];
    }
    return all;
  }
}

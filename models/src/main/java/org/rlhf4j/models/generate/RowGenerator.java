package org.rlhf4j.models.generate;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.KvCache;
import org.rlhf4j.models.Masks;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/**
 * Batched KV-cache decoding where every row has its own sampling settings and random stream (what a server
 * batching unrelated requests needs): temperature and top-p are applied per row in one tensor pass, each row
 * draws its token from its own {@link SplittableRandom} seeded by its {@link SamplingConfig#seed()}, so a
 * seeded row samples the same tokens whatever else shares its batch (up to float rounding of the padded
 * forward). A {@link Listener} sees every token as it is decoded and may stop its row (stop strings).
 */
public final class RowGenerator {
  private RowGenerator() {}

  /** One prompt (at least one token) with its settings. */
  public record Row(long[] prompt, SamplingConfig cfg) {
    public Row {
      if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("Row: prompt needs at least one token");
      if (cfg == null) throw new IllegalArgumentException("Row: cfg is required");
    }
  }

  /** A decoded token: its id, log-prob under the row's temperature-scaled distribution, and the top alternatives. */
  public record Token(long id, float logprob, long[] topIds, float[] topLogprobs) {}

  /** Called on the decoding thread for each new token; returns false to finish the row now. */
  @FunctionalInterface
  public interface Listener {
    boolean onToken(int row, Token token);
  }

  /**
   * Decodes all rows together; a row ends at its stop ids, its maxNewTokens or when the listener says so.
   * {@code topLogprobs} alternatives (0 = none) are reported per token.
   */
  public static Generation generate(CausalLM model, List<Row> rows, int padId, int topLogprobs, Listener listener) {
    if (rows.isEmpty()) throw new IllegalArgumentException("no rows to generate from");
    int b = rows.size(), t = rows.stream().mapToInt(r -> r.prompt().length).max().orElse(0);
    int maxNew = rows.stream().mapToInt(r -> r.cfg().maxNewTokens()).max().orElse(1);
    long[][] ids = new long[b][t], mask = new long[b][t];
    float[] temps = new float[b], topPs = new float[b];
    SplittableRandom[] rngs = new SplittableRandom[b];
    boolean anyTopP = false;
    for (int r = 0; r < b; r++) {
      Row row = rows.get(r);
      int pad = t - row.prompt().length;
      Arrays.fill(ids[r], 0, pad, padId);
      System.arraycopy(row.prompt(), 0, ids[r], pad, row.prompt().length);
      Arrays.fill(mask[r], pad, t, 1);
      temps[r] = row.cfg().greedy() ? 1f : (float) row.cfg().temperature();
      topPs[r] = (float) row.cfg().topP();
      anyTopP |= !row.cfg().greedy() && row.cfg().topP() < 1;
      rngs[r] = new SplittableRandom(row.cfg().seed());
    }
    long[][] out = new long[b][maxNew];
    float[][] lps = new float[b][maxNew];
    int[] lengths = new int[b];
    boolean[] done = new boolean[b], stopped = new boolean[b];
    try (NativeScope outer = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      KvCache cache = new KvCache(model.config(), b, t + maxNew, model.dtype(), model.device());
      Tensor maskT = Tensors.longs(mask, model.device()); // (B, T)
      Tensor positions = Masks.positionsFromMask(maskT); // (B, T)
      Tensor next = positions.narrow(1, t - 1, 1).add(new Scalar(1)); // (B, 1)
      Tensor tempT = Tensors.floats(temps, model.device(), b, 1); // (B, 1)
      Tensor topPT = Tensors.floats(topPs, model.device(), b, 1); // (B, 1)
      Tensor logits = model.forwardCached(Tensors.longs(ids, model.device()), maskT, positions, cache).logits()
          .narrow(1, t - 1, 1).squeeze(1); // (B, V)
      Tensor ones = Tensors.ones(DType.I64, model.device(), b, 1); // (B, 1)
      for (int step = 0; step < maxNew; step++) {
        try (NativeScope s = NativeScope.open()) {
          Tensor scaled = logits.to(torch.ScalarType.Float).div(tempT); // (B, V)
          Tensor logp = scaled.log_softmax(-1); // (B, V)
          Tensor probs = anyTopP ? nucleus(scaled, topPT).softmax(-1) : logp.exp(); // (B, V)
          long[] tok = pick(Tensors.toFloats(probs.contiguous()), (int) probs.size(1), rows, rngs, done);
          Tensor tokT = Tensors.longs(tok, model.device()).view(b, 1); // (B, 1)
          float[] lp = Tensors.toFloats(logp.gather(1, tokT)); // (B)
          long[][] topIds = null;
          float[][] topLp = null;
          if (topLogprobs > 0) {
            T_TensorTensor_T top = logp.topk(topLogprobs, -1, true, true);
            topLp = rowsOf(Tensors.toFloats(top.get0().contiguous()), b, topLogprobs);
            topIds = rowsOf(Tensors.toLongs(top.get1().contiguous()), b, topLogprobs);
          }
          boolean all = true;
          for (int r = 0; r < b; r++) {
            if (done[r]) continue;
            out[r][lengths[r]] = tok[r];
            lps[r][lengths[r]] = lp[r];
            lengths[r]++;
            Token token = new Token(tok[r], lp[r], topIds == null ? new long[0] : topIds[r], topLp == null ? new float[0] : topLp[r]);
            boolean go = listener == null || listener.onToken(r, token);
            SamplingConfig c = rows.get(r).cfg();
            if (c.stopIds().contains((int) tok[r])) { done[r] = true; stopped[r] = true; }
            else if (!go) { done[r] = true; stopped[r] = true; }
            else if (lengths[r] >= c.maxNewTokens()) done[r] = true;
            all &= done[r];
          }
          if (all || step == maxNew - 1) break;
          Tensor step1 = model.forwardCached(tokT, ones, next, cache).logits().squeeze(1); // (B, V)
          next.add_(new Scalar(1));
          Tensor previous = logits;
          logits = s.keep(step1);
          previous.close();
        }
      }
    }
    long[][] trimmed = new long[b][];
    float[][] trimmedLp = new float[b][];
    long[][] prompts = new long[b][];
    for (int r = 0; r < b; r++) {
      trimmed[r] = Arrays.copyOf(out[r], lengths[r]);
      trimmedLp[r] = Arrays.copyOf(lps[r], lengths[r]);
      prompts[r] = rows.get(r).prompt();
    }
    return new Generation(prompts, trimmed, trimmedLp, stopped);
  }

  /** Scaled logits (B, V) with everything outside each row's top-p nucleus set to -inf. */
  private static Tensor nucleus(Tensor scaled, Tensor topP) {
    T_TensorTensor_T sorted = torch.sort(scaled, -1, true);
    Tensor values = sorted.get0(); // (B, V) descending
    Tensor p = values.softmax(-1); // (B, V)
    Tensor drop = p.cumsum(-1).sub(p).gt(topP); // (B, V) mass strictly before > top_p; the top token is kept
    Tensor kept = values.masked_fill(drop, new Scalar(Double.NEGATIVE_INFINITY)); // (B, V)
    return torch.full(scaled.shape(), new Scalar(Double.NEGATIVE_INFINITY)).scatter(1, sorted.get1(), kept); // (B, V)
  }

  /** Each unfinished row's token: argmax when greedy, else an inverse-CDF draw from its own stream. */
  private static long[] pick(float[] probs, int v, List<Row> rows, SplittableRandom[] rngs, boolean[] done) {
    long[] tok = new long[rows.size()];
    for (int r = 0; r < tok.length; r++) {
      int base = r * v;
      if (done[r]) continue;
      if (rows.get(r).cfg().greedy()) {
        int best = 0;
        for (int i = 1; i < v; i++) if (probs[base + i] > probs[base + best]) best = i;
        tok[r] = best;
        continue;
      }
      double total = 0;
      for (int i = 0; i < v; i++) total += probs[base + i];
      double u = rngs[r].nextDouble() * total, acc = 0;
      int chosen = -1;
      for (int i = 0; i < v; i++) {
        float q = probs[base + i];
        if (q <= 0) continue;
        chosen = i;
        acc += q;
        if (acc > u) break;
      }
      tok[r] = Math.max(chosen, 0);
    }
    return tok;
  }

  private static float[][] rowsOf(float[] flat, int b, int k) {
    float[][] out = new float[b][];
    for (int r = 0; r < b; r++) out[r] = Arrays.copyOfRange(flat, r * k, (r + 1) * k);
    return out;
  }

  private static long[][] rowsOf(long[] flat, int b, int k) {
    long[][] out = new long[b][];
    for (int r = 0; r < b; r++) out[r] = Arrays.copyOfRange(flat, r * k, (r + 1) * k);
    return out;
  }
}

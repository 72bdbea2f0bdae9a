package org.rlhf4j.models.generate;

import java.util.ArrayList;
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
 * Continuous batching over a KV cache: rows {@link #add join} the running batch and leave it at token boundaries.
 * Joining rows are prefilled together (left-padded among themselves), then their cache rows are right-aligned
 * with the running ones (columns a row lacks are masked keys, and every row keeps its own positions), so each
 * {@link #step} decodes one token for every row in one forward. A row leaves at a stop id, its maxNewTokens or
 * when its {@link Member} says so. Rows join and leave in place ({@link KvCache#join}, {@link KvCache#without}: only the
 * rows that move are copied); the cache is regrouped (every row copied, trimmed to the longest remaining
 * row) when it is full or joining rows do not fit. Sampling is per row as in {@link RowGenerator}: temperature and top-p in one tensor pass, each row's draw
 * from its own seeded stream, so a row's tokens do not depend on what else shares the batch (up to float rounding
 * of the padded forward).
 *
 * <p>Not thread-safe: one thread adds and steps (libtorch scopes are per thread). Holds native memory until the
 * batch drains or {@link #close}.
 */
public final class ContinuousDecoder implements AutoCloseable {
  /** The owner of a row: hears each token (false = finish the row now), then how the row ended. */
  public interface Member {
    boolean onToken(RowGenerator.Token token);

    /** {@code stopped}: a stop id or {@link #onToken} ended the row; else it reached maxNewTokens. */
    void finished(boolean stopped);

    /** The decoder failed (the batch is dropped); default: nothing. */
    default void failed(RuntimeException e) {}
  }

  /** A row to add, the top alternatives it wants per token (0 = none), and its owner. */
  public record Joining(RowGenerator.Row row, int topLogprobs, Member member) {
    public Joining {
      if (row == null || member == null) throw new IllegalArgumentException("Joining: row and member are required");
      if (topLogprobs < 0) throw new IllegalArgumentException("Joining: topLogprobs must be >= 0, got " + topLogprobs);
    }
  }

  /** A row in the batch: its settings, stream, how many tokens it has, its next position and its keys (span). */
  private static final class Slot {
    final Joining j;
    final SplittableRandom rng;
    int generated, span;
    long position;
    boolean stopped;

    Slot(Joining j) {
      this.j = j;
      this.rng = new SplittableRandom(j.row().cfg().seed());
      this.span = j.row().prompt().length;
      this.position = span;
    }

    SamplingConfig cfg() { return j.row().cfg(); }

    int remaining() { return cfg().maxNewTokens() - generated; }
  }

  private final CausalLM model;
  private final int padId;
  private final List<Slot> slots = new ArrayList<>();
  private KvCache cache;  // one row per slot, in slot order
  private Tensor logits;  // (B, V) each slot's next-token logits
  private int regroups;   // caches remade with every row copied (joins that did not fit, full caches)

  public ContinuousDecoder(CausalLM model, int padId) {
    this.model = model;
    this.padId = padId;
  }

  /** How many times the cache was remade with every row copied (joins that did not fit in place, full caches). */
  public int regroups() { return regroups; }

  /** Rows decoding now. */
  public int active() { return slots.size(); }

  /** Prefills {@code rows} together and adds them to the batch; their first tokens come with the next {@link #step}. */
  public void add(List<Joining> rows) {
    if (rows.isEmpty()) return;
    int n = rows.size(), t = rows.stream().mapToInt(r -> r.row().prompt().length).max().orElse(0);
    long[][] ids = new long[n][t], mask = new long[n][t];
    for (int r = 0; r < n; r++) {
      long[] p = rows.get(r).row().prompt();
      int pad = t - p.length;
      Arrays.fill(ids[r], 0, pad, padId);
      System.arraycopy(p, 0, ids[r], pad, p.length);
      Arrays.fill(mask[r], pad, t, 1);
    }
    List<Slot> joined = rows.stream().map(Slot::new).toList();
    int headroom = java.util.stream.Stream.concat(slots.stream(), joined.stream()).mapToInt(Slot::remaining).max().orElse(1);
    try (NativeScope s = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      // alone, the prefill cache is the batch's (with room to decode and rows to join); else it joins the running rows'
      // in place, or is regrouped with them when it does not fit
      KvCache fresh = cache == null ? new KvCache(model.config(), n, rowsFor(n), t + headroom, model.dtype(), model.device())
          : new KvCache(model.config(), n, t, model.dtype(), model.device());
      Tensor maskT = Tensors.longs(mask, model.device());                                                    // (n, T)
      Tensor first = model.nextLogits(Tensors.longs(ids, model.device()), maskT, Masks.positionsFromMask(maskT), fresh); // (n, V)
      KvCache joinedCache = cache == null ? null : cache.join(fresh);
      if (cache == null) {
        replace(fresh.keepIn(s), s.keep(first));
      } else if (joinedCache != null) {
        replace(joinedCache.keepIn(s), s.keep(Tensors.cat(0, logits, first))); // (B + n, V)
      } else {
        int length = Math.max(t, slots.stream().mapToInt(x -> x.span).max().orElse(0)), b = slots.size() + n;
        regroups++;
        replace(cache.regroup(all(slots.size()), fresh, length, headroom, rowsFor(b) - b).keepIn(s), s.keep(Tensors.cat(0, logits, first))); // (B + n, V)
      }
      slots.addAll(joined);
    } catch (RuntimeException e) {
      rows.forEach(r -> r.member().failed(e));
      throw e;
    }
  }

  /** Decodes one token for every row (rows that end leave the batch); returns the rows still decoding. */
  public int step() {
    if (slots.isEmpty()) return 0;
    try (NativeScope s = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      long[] tok = sample();
      List<Integer> stay = new ArrayList<>();
      for (int r = 0; r < slots.size(); r++) if (!finished(slots.get(r))) stay.add(r);
      if (stay.isEmpty()) {
        clear();
        return 0;
      }
      long[] keep = stay.stream().mapToLong(Integer::longValue).toArray();
      if (cache.length() + 1 > cache.capacity()) { // full: a regrouped cache, right-aligned to the longest survivor, with room again
        int longest = stay.stream().mapToInt(r -> slots.get(r).span).max().orElse(1);
        int headroom = stay.stream().mapToInt(r -> slots.get(r).remaining()).max().orElse(1);
        regroups++;
        replace(cache.regroup(keep, null, longest, headroom, rowsFor(keep.length) - keep.length).keepIn(s), s.keep(logits.index_select(0, Tensors.longs(keep, model.device()))));
      } else if (keep.length < slots.size()) {       // rows left: their places taken by the last rows, only those copied
        boolean[] leave = new boolean[slots.size()];
        java.util.Arrays.fill(leave, true);
        for (int r : stay) leave[r] = false;
        keep = new long[stay.size()];
        replace(cache.without(leave, keep).keepIn(s), s.keep(logits.index_select(0, Tensors.longs(keep, model.device()))));
      }
      long[] fed = new long[keep.length], pos = new long[keep.length];
      List<Slot> survivors = new ArrayList<>();
      for (int i = 0; i < keep.length; i++) {
        Slot x = slots.get((int) keep[i]);
        survivors.add(x);
        fed[i] = tok[(int) keep[i]];
        pos[i] = x.position;
      }
      slots.clear();
      slots.addAll(survivors);
      int b = slots.size();
      Tensor next = model.nextLogits(Tensors.longs(fed, model.device()).view(b, 1), Tensors.ones(DType.I64, model.device(), b, 1),
          Tensors.longs(pos, model.device()).view(b, 1), cache); // (B, V)
      for (Slot x : slots) { x.position++; x.span++; }
      replace(cache, s.keep(next));
      return b;
    } catch (RuntimeException e) {
      abort(e);
      throw e;
    }
  }

  /** Samples every slot's next token from {@link #logits}, tells its member, counts it; returns the tokens. */
  private long[] sample() {
    int b = slots.size();
    float[] temps = new float[b], topPs = new float[b];
    boolean anyTopP = false;
    int topK = 0;
    for (int r = 0; r < b; r++) {
      SamplingConfig c = slots.get(r).cfg();
      temps[r] = c.greedy() ? 1f : (float) c.temperature();
      topPs[r] = (float) c.topP();
      anyTopP |= !c.greedy() && c.topP() < 1;
      topK = Math.max(topK, slots.get(r).j.topLogprobs());
    }
    Tensor scaled = logits.to(torch.ScalarType.Float).div(Tensors.floats(temps, model.device(), b, 1)); // (B, V)
    Tensor logp = scaled.log_softmax(-1);                                                              // (B, V)
    Tensor probs = anyTopP ? nucleus(scaled, Tensors.floats(topPs, model.device(), b, 1)).softmax(-1) : logp.exp(); // (B, V)
    long[] tok = pick(Tensors.toFloats(probs.contiguous()), (int) probs.size(1));
    float[] lp = Tensors.toFloats(logp.gather(1, Tensors.longs(tok, model.device()).view(b, 1)));      // (B)
    float[] topLp = null;
    long[] topIds = null;
    if (topK > 0) {
      T_TensorTensor_T top = logp.topk(topK, -1, true, true);
      topLp = Tensors.toFloats(top.get0().contiguous());
      topIds = Tensors.toLongs(top.get1().contiguous());
    }
    for (int r = 0; r < b; r++) {
      Slot x = slots.get(r);
      int k = x.j.topLogprobs();
      x.generated++;
      x.stopped = !x.j.member().onToken(new RowGenerator.Token(tok[r], lp[r], k == 0 ? new long[0] : Arrays.copyOfRange(topIds, r * topK, r * topK + k),
          k == 0 ? new float[0] : Arrays.copyOfRange(topLp, r * topK, r * topK + k))) || x.cfg().stopIds().contains((int) tok[r]);
    }
    return tok;
  }

  /** True when the slot's row has ended (its member is told). */
  private static boolean finished(Slot x) {
    if (!x.stopped && x.remaining() > 0) return false;
    x.j.member().finished(x.stopped);
    return true;
  }

  /** Each row's token: argmax when greedy, else an inverse-CDF draw from its own stream. */
  private long[] pick(float[] probs, int v) {
    long[] tok = new long[slots.size()];
    for (int r = 0; r < tok.length; r++) {
      int base = r * v;
      Slot x = slots.get(r);
      if (x.cfg().greedy()) {
        int best = 0;
        for (int i = 1; i < v; i++) if (probs[base + i] > probs[base + best]) best = i;
        tok[r] = best;
        continue;
      }
      double total = 0;
      for (int i = 0; i < v; i++) total += probs[base + i];
      double u = x.rng.nextDouble() * total, acc = 0;
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

  /** Scaled logits (B, V) with everything outside each row's top-p nucleus set to -inf. */
  private static Tensor nucleus(Tensor scaled, Tensor topP) {
    T_TensorTensor_T sorted = torch.sort(scaled, -1, true);
    Tensor values = sorted.get0();                                   // (B, V) descending
    Tensor p = values.softmax(-1);                                   // (B, V)
    Tensor drop = p.cumsum(-1).sub(p).gt(topP);                      // (B, V) mass strictly before > top_p; the top token is kept
    Tensor kept = values.masked_fill(drop, new Scalar(Double.NEGATIVE_INFINITY)); // (B, V)
    return torch.full(scaled.shape(), new Scalar(Double.NEGATIVE_INFINITY)).scatter(1, sorted.get1(), kept); // (B, V)
  }

  private void replace(KvCache c, Tensor l) {
    if (cache != null && cache != c) cache.close();
    if (logits != null && logits != l) logits.close();
    cache = c;
    logits = l;
  }

  /** Rows a new cache is allocated for: at least 8, doubling, so that rows join in place most of the time. */
  static int rowsFor(int rows) {
    int r = 8;
    while (r < rows) r *= 2;
    return r;
  }

  private static long[] all(int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  /** Drops the batch: every member still decoding hears {@code e}. */
  public void abort(RuntimeException e) {
    for (Slot x : slots) x.j.member().failed(e);
    clear();
  }

  private void clear() {
    slots.clear();
    if (cache != null) cache.close();
    if (logits != null) logits.close();
    cache = null;
    logits = null;
  }

  /** Frees the batch's native memory; members of rows still decoding hear that it was closed. */
  @Override public void close() {
    if (!slots.isEmpty()) abort(new IllegalStateException("the decoder was closed with " + slots.size() + " rows still decoding"));
  }
}

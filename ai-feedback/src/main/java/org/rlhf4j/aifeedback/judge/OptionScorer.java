package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.aifeedback.Responses;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.LogProbs;

/**
 * What a causal LM says comes next, restricted to a few answer options: the log-probability of each option's tokens
 * after a context. Shared by the pairwise {@link LmJudge} (two options) and the pointwise {@link LmGrader} (one
 * option per grade). Rows are batched by similar length with left padding.
 */
final class OptionScorer {
  /** One question ready to score: the context ids and the tokens of each option. */
  record Resolved(long[] ids, List<int[]> options) {}

  private final CausalLM model;
  private final Tokenizer tok;
  private final int batchSize;

  OptionScorer(CausalLM model, Tokenizer tok, int batchSize) {
    this.model = model;
    this.tok = tok;
    this.batchSize = batchSize;
  }

  /**
   * Context ids and option tokens: an option's tokens are where {@code text + option} departs from {@code text}'s
   * own encoding, so a tokenizer that merges the boundary (a trailing space folded into " A") is handled; the
   * context is the shared part. Options may be several tokens (their sequence log-probability is used).
   */
  Resolved resolve(String text, List<String> options, String what, String source) {
    int[] base = Responses.tokens(tok, text);
    List<int[]> full = options.stream().map(o -> Responses.tokens(tok, text + o)).toList();
    int l = base.length;
    for (int[] f : full) l = Math.min(l, commonPrefix(base, f));
    int longest = 0;
    List<int[]> out = new ArrayList<>();
    for (int[] f : full) {
      if (l == 0 || l >= f.length) throw new JudgeException(source + ": " + what + ": the options add no token after the answer prefix");
      out.add(Arrays.copyOfRange(f, l, f.length));
      longest = Math.max(longest, f.length);
    }
    for (int i = 0; i < out.size(); i++) {
      for (int j = i + 1; j < out.size(); j++) {
        if (Arrays.equals(out.get(i), out.get(j))) throw new JudgeException(source + ": options " + options + " encode to the same tokens");
      }
    }
    if (longest > model.config().maxPositions()) {
      throw new JudgeException(what + ": the judging prompt is " + longest + " tokens, more than the judge model's "
          + model.config().maxPositions() + " positions");
    }
    return new Resolved(Arrays.stream(Arrays.copyOf(base, l)).asLongStream().toArray(), out);
  }

  /** Log-probs of every option of every row: {@code out[i][k]} for row i, option k. */
  double[][] logProbs(List<Resolved> items) {
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt(i -> items.get(i).ids().length));
    double[][] out = new double[items.size()][];
    for (int start = 0; start < order.length; start += batchSize) {
      List<Resolved> chunk = Arrays.asList(order).subList(start, Math.min(order.length, start + batchSize)).stream().map(items::get).toList();
      boolean single = chunk.stream().allMatch(s -> s.options().stream().allMatch(o -> o.length == 1));
      float[] lp = single ? nextTokenLogProbs(chunk) : sequenceLogProbs(chunk); // (b, k) flattened
      int at = 0;
      for (int r = 0; r < chunk.size(); r++) {
        int k = chunk.get(r).options().size();
        double[] row = new double[k];
        for (int j = 0; j < k; j++) row[j] = lp[at++];
        out[order[start + r]] = row;
      }
    }
    return out;
  }

  /** Single-token options: one row per question, the log-probs of its options at its last position. */
  private float[] nextTokenLogProbs(List<Resolved> rows) {
    int k = rows.stream().mapToInt(r -> r.options().size()).max().orElse(1);
    long[][] options = new long[rows.size()][k];
    for (int r = 0; r < rows.size(); r++) {
      List<int[]> o = rows.get(r).options();
      for (int j = 0; j < k; j++) options[r][j] = o.get(Math.min(j, o.size() - 1))[0]; // ragged rows repeat their last option
    }
    float[] all;
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor logp = lastLogits(rows.stream().map(Resolved::ids).toList(), 1).squeeze(1).log_softmax(-1); // (B, V)
      all = Tensors.toFloats(logp.gather(1, Tensors.longs(options, model.device())));                    // (B, k)
    }
    float[] out = new float[rows.stream().mapToInt(r -> r.options().size()).sum()];
    int at = 0;
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < rows.get(r).options().size(); j++) out[at++] = all[r * k + j];
    }
    return out;
  }

  /** Multi-token options: one row context + option per option, the summed log-probs of the option's tokens. */
  private float[] sequenceLogProbs(List<Resolved> rows) {
    List<long[]> ids = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    for (Resolved r : rows) {
      for (int[] option : r.options()) {
        long[] x = Arrays.copyOf(r.ids(), r.ids().length + option.length);
        for (int j = 0; j < option.length; j++) x[r.ids().length + j] = option[j];
        ids.add(x);
        targets.add(option);
      }
    }
    int k = targets.stream().mapToInt(t -> t.length).max().orElse(1);
    long[][] labels = new long[ids.size()][k], mask = new long[ids.size()][k];
    for (int r = 0; r < ids.size(); r++) {
      int[] t = targets.get(r);
      for (int j = 0; j < t.length; j++) {
        labels[r][k - t.length + j] = t[j];
        mask[r][k - t.length + j] = 1;
      }
    }
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor logits = lastLogits(ids, k + 1).narrow(1, 0, k);                        // (R, k, V): predicts the last k tokens
      Tensor lp = LogProbs.gather(logits, Tensors.longs(labels, model.device()));    // (R, k)
      // masked_fill, not a product with the mask: positions inside left padding may hold NaN.
      Tensor kept = lp.masked_fill(Tensors.longs(mask, model.device()).eq(new Scalar(0)), new Scalar(0.0)); // (R, k)
      return Tensors.toFloats(kept.sum(1));                                          // (R)
    }
  }

  /** Float logits (B, n, V) at the last {@code n} positions of left-padded rows. */
  private Tensor lastLogits(List<long[]> rows, int n) {
    int b = rows.size(), t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    long[][] ids = new long[b][t], mask = new long[b][t];
    for (int r = 0; r < b; r++) {
      long[] x = rows.get(r);
      int pad = t - x.length;
      Arrays.fill(ids[r], 0, pad, tok.padId());
      System.arraycopy(x, 0, ids[r], pad, x.length);
      Arrays.fill(mask[r], pad, t, 1);
    }
    int m = Math.min(n, t);
    Tensor hidden = model.hidden(Tensors.longs(ids, model.device()), Tensors.longs(mask, model.device())); // (B, T, C)
    return model.logits(hidden.narrow(1, t - m, m)).to(torch.ScalarType.Float);                          // (B, n, V)
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length), i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
  }
}

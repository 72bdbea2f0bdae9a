package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.aifeedback.Responses;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.LogProbs;

/**
 * LLM-as-judge over any causal LM in Hugging Face layout. The {@link JudgeTemplate} renders the request (through
 * the model's chat template when it has one and the template asks for it), the answer prefix is appended, and
 * P(A) is read from the model's distribution over what comes next: p(option A) / (p(A) + p(B)), with p(option)
 * the probability of the option's tokens (one next-token probability when each option is one token, as "A"/"B"
 * are for most tokenizers) — never from sampled text. With chain of thought the model first writes its reasoning (greedy) after the request, and the options are
 * read after the reasoning; probabilities are then clamped (40-60% by default, as in the Constitutional AI paper).
 */
public final class LmJudge implements Judge {
  /** Chain of thought: up to {@code maxTokens} of greedy reasoning after {@code prefix}. */
  public record ChainOfThought(int maxTokens, String prefix) {
    public ChainOfThought {
      if (maxTokens < 1) throw new IllegalArgumentException("chain of thought needs maxTokens >= 1, got " + maxTokens);
      prefix = prefix == null ? "" : prefix;
    }
  }

  /**
   * @param batchSize  comparisons per forward pass
   * @param cot        chain of thought, or null
   * @param clampLow   probabilities are clamped to [clampLow, clampHigh] (0 and 1 = no clamping)
   */
  public record Options(int batchSize, ChainOfThought cot, double clampLow, double clampHigh) {
    public Options {
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      if (!(clampLow >= 0 && clampLow <= 0.5 && clampHigh >= 0.5 && clampHigh <= 1)) {
        throw new IllegalArgumentException("clamp range must satisfy 0 <= low <= 0.5 <= high <= 1, got [" + clampLow + ", " + clampHigh + "]");
      }
    }

    public static Options defaults() { return new Options(16, null, 0, 1); }

    /** Chain of thought with the paper's 40-60% clamp. */
    public Options withChainOfThought(ChainOfThought c) { return new Options(batchSize, c, c == null ? 0 : 0.4, c == null ? 1 : 0.6); }

    public Options withBatchSize(int b) { return new Options(b, cot, clampLow, clampHigh); }

    public Options withClamp(double low, double high) { return new Options(batchSize, cot, low, high); }
  }

  /** One comparison ready to score: context ids and the tokens of each option. */
  record Scored(long[] ids, int[] optionA, int[] optionB, String rationale) {}

  private final CausalLM model;
  private final Tokenizer tok;
  private final JudgeTemplate template;
  private final Options opts;
  private final String name;
  private final ChatTemplate chatTemplate; // null: plain text

  public LmJudge(CausalLM model, Tokenizer tok, JudgeTemplate template, Options opts, String name) {
    this.model = model;
    this.tok = tok;
    this.template = template;
    this.opts = opts;
    this.name = name;
    this.chatTemplate = template.chat() ? tok.chatTemplate().orElse(null) : null;
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    List<String> requests = new ArrayList<>(items.size());
    for (Comparison c : items) requests.add(requestText(c));
    List<String> rationales = opts.cot() == null ? null : reason(requests);
    List<Scored> scored = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String why = rationales == null ? null : rationales.get(i);
      String text = why == null ? requests.get(i) : requests.get(i) + opts.cot().prefix() + joinSpace(opts.cot().prefix(), why);
      scored.add(resolve(text + template.answerPrefix(), why, i));
    }
    return score(scored);
  }

  /** The rendered request up to where the answer (or the reasoning) begins. */
  String requestText(Comparison c) {
    String request = template.render(c);
    if (chatTemplate == null) return (template.system() == null ? "" : template.system() + "\n\n") + request;
    List<Map<String, String>> msgs = new ArrayList<>();
    if (template.system() != null) msgs.add(Map.of("role", "system", "content", template.system()));
    msgs.add(Map.of("role", "user", "content", request));
    return chatTemplate.render(msgs, true);
  }

  /** Greedy reasoning after each request + the chain-of-thought prefix. */
  private List<String> reason(List<String> requests) {
    List<long[]> prompts = requests.stream().map(r -> Responses.encode(tok, r + opts.cot().prefix())).toList();
    return Responses.generate(model, tok, prompts, SamplingConfig.greedy(opts.cot().maxTokens(), tok.stopIds()), opts.batchSize());
  }

  /**
   * Context ids and option tokens: an option's tokens are where {@code text + option} departs from {@code text}'s
   * own encoding, so a tokenizer that merges the boundary (a trailing space folded into " A") is handled; the
   * context is the shared part. Options may be several tokens (their sequence log-probability is used).
   */
  Scored resolve(String text, String rationale, int index) {
    int[] base = encode(text);
    int[] a = encode(text + template.options().get(0)), b = encode(text + template.options().get(1));
    int l = Math.min(commonPrefix(base, a), commonPrefix(base, b));
    if (l == 0 || l >= a.length || l >= b.length) {
      throw new JudgeException(template.source() + ": comparison " + index + ": the options add no token after the answer prefix");
    }
    int[] optionA = Arrays.copyOfRange(a, l, a.length), optionB = Arrays.copyOfRange(b, l, b.length);
    if (Arrays.equals(optionA, optionB)) {
      throw new JudgeException(template.source() + ": options " + template.options() + " encode to the same tokens");
    }
    int longest = l + Math.max(optionA.length, optionB.length);
    if (longest > model.config().maxPositions()) {
      throw new JudgeException("comparison " + index + ": the judging prompt is " + longest + " tokens, more than the judge model's "
          + model.config().maxPositions() + " positions");
    }
    return new Scored(toLongs(Arrays.copyOf(base, l)), optionA, optionB, rationale);
  }

  /** Log-probs of the two options, batched by similar length with left padding. */
  private List<Verdict> score(List<Scored> items) {
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt(i -> items.get(i).ids().length));
    Verdict[] out = new Verdict[items.size()];
    for (int start = 0; start < order.length; start += opts.batchSize()) {
      List<Scored> chunk = Arrays.asList(order).subList(start, Math.min(order.length, start + opts.batchSize())).stream()
          .map(items::get).toList();
      boolean single = chunk.stream().allMatch(s -> s.optionA().length == 1 && s.optionB().length == 1);
      float[] lp = single ? nextTokenLogProbs(chunk) : sequenceLogProbs(chunk); // (b, 2)
      for (int k = 0; k < chunk.size(); k++) {
        double la = lp[2 * k], lb = lp[2 * k + 1];
        double p = Math.min(opts.clampHigh(), Math.max(opts.clampLow(), Averaging.sigmoid(la - lb)));
        double mass = Math.min(1.0, Math.exp(la) + Math.exp(lb));
        int i = order[start + k];
        out[i] = new Verdict(p, items.get(i).rationale(), mass);
      }
    }
    return List.of(out);
  }

  /** Single-token options: one row per comparison, (b, 2) log-probs of both options at its last position. */
  private float[] nextTokenLogProbs(List<Scored> rows) {
    List<long[]> ids = rows.stream().map(Scored::ids).toList();
    long[][] options = new long[rows.size()][];
    for (int r = 0; r < rows.size(); r++) options[r] = new long[] {rows.get(r).optionA()[0], rows.get(r).optionB()[0]};
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor logp = lastLogits(ids, 1).squeeze(1).log_softmax(-1);                         // (B, V)
      return Tensors.toFloats(logp.gather(1, Tensors.longs(options, model.device())));    // (B, 2)
    }
  }

  /** Multi-token options: rows context + option for each option, summed log-probs of the option tokens. (b, 2). */
  private float[] sequenceLogProbs(List<Scored> rows) {
    List<long[]> ids = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    for (Scored r : rows) {
      for (int[] option : List.of(r.optionA(), r.optionB())) {
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
      Tensor logits = lastLogits(ids, k + 1).narrow(1, 0, k);                        // (2B, k, V): predicts the last k tokens
      Tensor lp = LogProbs.gather(logits, Tensors.longs(labels, model.device()));    // (2B, k)
      // masked_fill, not a product with the mask: positions inside left padding may hold NaN.
      Tensor kept = lp.masked_fill(Tensors.longs(mask, model.device()).eq(new org.bytedeco.pytorch.Scalar(0)),
          new org.bytedeco.pytorch.Scalar(0.0));                                     // (2B, k)
      return Tensors.toFloats(kept.sum(1));                                          // (2B) = (B, 2)
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

  private int[] encode(String text) { return Responses.tokens(tok, text); }

  private static String joinSpace(String before, String after) {
    return before.isEmpty() || Character.isWhitespace(before.charAt(before.length() - 1)) ? after : " " + after;
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length), i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
  }

  private static long[] toLongs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }

  @Override public String name() { return name; }
}

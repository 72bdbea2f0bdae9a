package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.aifeedback.Responses;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;

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

  private final CausalLM model;
  private final Tokenizer tok;
  private final JudgeTemplate template;
  private final Options opts;
  private final String name;
  private final ChatTemplate chatTemplate; // null: plain text
  private final OptionScorer scorer;

  public LmJudge(CausalLM model, Tokenizer tok, JudgeTemplate template, Options opts, String name) {
    this.model = model;
    this.tok = tok;
    this.template = template;
    this.opts = opts;
    this.name = name;
    this.chatTemplate = template.chat() ? tok.chatTemplate().orElse(null) : null;
    this.scorer = new OptionScorer(model, tok, opts.batchSize());
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    List<String> requests = new ArrayList<>(items.size());
    for (Comparison c : items) requests.add(requestText(c));
    List<String> rationales = opts.cot() == null ? null : reason(requests);
    List<String> texts = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String why = rationales == null ? null : rationales.get(i);
      String text = why == null ? requests.get(i) : requests.get(i) + opts.cot().prefix() + joinSpace(opts.cot().prefix(), why);
      texts.add(text + template.answerPrefix());
    }
    return score(texts, rationales);
  }

  /** The rendered request up to where the answer (or the reasoning) begins. */
  String requestText(Comparison c) {
    String request = template.render(c);
    return asUserTurn(request, template.system(), chatTemplate);
  }

  /** A request as the user's turn: through the chat template (null: plain text), after the optional system message. */
  static String asUserTurn(String request, String system, ChatTemplate chatTemplate) {
    if (chatTemplate == null) return (system == null ? "" : system + "\n\n") + request;
    List<Map<String, String>> msgs = new ArrayList<>();
    if (system != null) msgs.add(Map.of("role", "system", "content", system));
    msgs.add(Map.of("role", "user", "content", request));
    return chatTemplate.render(msgs, true);
  }

  /** Greedy reasoning after each request + the chain-of-thought prefix. */
  private List<String> reason(List<String> requests) {
    List<long[]> prompts = requests.stream().map(r -> Responses.encode(tok, r + opts.cot().prefix())).toList();
    return Responses.generate(model, tok, prompts, SamplingConfig.greedy(opts.cot().maxTokens(), tok.stopIds()), opts.batchSize());
  }

  /** Log-probs of the two options for each request, turned into P(A) (clamped) and the options' mass. */
  private List<Verdict> score(List<String> texts, List<String> rationales) {
    List<OptionScorer.Resolved> resolved = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) resolved.add(scorer.resolve(texts.get(i), template.options(), "comparison " + i, template.source()));
    double[][] lp = scorer.logProbs(resolved); // (n, 2)
    List<Verdict> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      double la = lp[i][0], lb = lp[i][1];
      double p = Math.min(opts.clampHigh(), Math.max(opts.clampLow(), Averaging.sigmoid(la - lb)));
      out.add(new Verdict(p, rationales == null ? null : rationales.get(i), Math.min(1.0, Math.exp(la) + Math.exp(lb))));
    }
    return out;
  }

  private static String joinSpace(String before, String after) {
    return before.isEmpty() || Character.isWhitespace(before.charAt(before.length() - 1)) ? after : " " + after;
  }

  @Override public String name() { return name; }
}

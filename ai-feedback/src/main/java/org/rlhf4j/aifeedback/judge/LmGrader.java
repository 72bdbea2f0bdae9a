package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * A pointwise LLM judge (MT-Bench's single-answer grading, read from logits as G-Eval does): each response is graded
 * alone by a causal LM — the {@link GradeTemplate} renders the request, the answer prefix is appended, and the grade
 * is the expectation over the grade tokens' next-token probabilities (renormalised over the grades), never sampled
 * text. A pair is then {@code P(A) = sigmoid((E[grade A] - E[grade B]) / temperature)}.
 *
 * <p>Because neither response sees the other, the judge has no position bias by construction ({@link BothOrders}
 * measures a zero shift). It is also cheaper when responses recur: each distinct (prompt, response, criterion) is
 * graded once per call.
 */
public final class LmGrader implements Judge {
  /**
   * @param batchSize    grading requests per forward pass
   * @param temperature  grade points per logit of the pair probability (1: one grade apart is P = 0.73)
   */
  public record Options(int batchSize, double temperature) {
    public Options {
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      if (!(temperature > 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }

    public static Options defaults() { return new Options(16, 1.0); }

    public Options withBatchSize(int b) { return new Options(b, temperature); }

    public Options withTemperature(double t) { return new Options(batchSize, t); }
  }

  /** One response's grade: the expected grade, the distribution over the grades, and their share of the next token. */
  public record Grade(double expected, double[] distribution, double mass) {}

  private final GradeTemplate template;
  private final Options opts;
  private final String name;
  private final ChatTemplate chatTemplate; // null: plain text
  private final OptionScorer scorer;

  public LmGrader(CausalLM model, Tokenizer tok, GradeTemplate template, Options opts, String name) {
    this.template = template;
    this.opts = opts;
    this.name = name;
    this.chatTemplate = template.chat() ? tok.chatTemplate().orElse(null) : null;
    this.scorer = new OptionScorer(model, tok, opts.batchSize());
  }

  /** The text the grade tokens are read after: the rendered request (as the user's turn) and the answer prefix. */
  String requestText(String prompt, String response, String criterion) {
    return LmJudge.asUserTurn(template.render(prompt, response, criterion), template.system(), chatTemplate) + template.answerPrefix();
  }

  /** Grades of {@code responses} to {@code prompt} under {@code criterion} (empty = the template's default). */
  public List<Grade> grade(String prompt, List<String> responses, String criterion) {
    List<OptionScorer.Resolved> rows = new ArrayList<>(responses.size());
    for (int i = 0; i < responses.size(); i++) {
      rows.add(scorer.resolve(requestText(prompt, responses.get(i), criterion), template.grades(), "response " + i, template.source()));
    }
    return grades(rows);
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<OptionScorer.Resolved> rows = new ArrayList<>();
    int[][] at = new int[items.size()][2];
    for (int i = 0; i < items.size(); i++) {
      Comparison c = items.get(i);
      String[] sides = {c.responseA(), c.responseB()};
      for (int s = 0; s < 2; s++) {
        String text = requestText(c.promptText(), sides[s], c.criterion());
        Integer k = index.get(text);
        if (k == null) {
          k = rows.size();
          index.put(text, k);
          rows.add(scorer.resolve(text, template.grades(), "comparison " + i, template.source()));
        }
        at[i][s] = k;
      }
    }
    List<Grade> g = grades(rows);
    List<Verdict> out = new ArrayList<>(items.size());
    for (int[] pair : at) {
      Grade a = g.get(pair[0]), b = g.get(pair[1]);
      double p = Averaging.sigmoid((a.expected() - b.expected()) / opts.temperature());
      String why = String.format(Locale.ROOT, "graded A %.2f, B %.2f", a.expected(), b.expected());
      out.add(new Verdict(p, why, Math.min(a.mass(), b.mass())));
    }
    return out;
  }

  private List<Grade> grades(List<OptionScorer.Resolved> rows) {
    double[] values = template.values();
    List<Grade> out = new ArrayList<>(rows.size());
    for (double[] lp : scorer.logProbs(rows)) {
      double max = Double.NEGATIVE_INFINITY, sum = 0, expected = 0;
      for (double l : lp) max = Math.max(max, l);
      double[] p = new double[lp.length];
      for (int k = 0; k < lp.length; k++) sum += p[k] = Math.exp(lp[k] - max);
      for (int k = 0; k < lp.length; k++) expected += (p[k] /= sum) * values[k];
      out.add(new Grade(expected, p, Math.min(1.0, sum * Math.exp(max))));
    }
    return out;
  }

  @Override public String name() { return name; }
}

package org.rlhf4j.demo.sentiment;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.bon.BestOfN;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.Scorer;

/**
 * Judges policies for the frontier: samples at temperature 1 on the held-out openings, the gold judge's P(positive)
 * (sigmoid of its logit; the policies never see it), the proxy's logit, and the sequence KL to the reference
 * estimated on the same samples (k1: mean of log pi(y|x) - log pi_ref(y|x)).
 */
final class Judge {
  /** One frontier point; {@code samples} are the first few (prompt, response, gold) triples. */
  record Point(String method, String setting, double kl, double gold, double proxy, int n, List<Sample> samples) {}

  record Sample(String prompt, String response, double gold) {}

  private static final int SHOWN = 3;

  private final Tokenizer tok;
  private final CausalLM reference;
  private final RewardModel proxyRm, goldRm;
  private final List<long[]> prompts;   // eval openings, each repeated samplesPerEval times
  private final int maxNewTokens;
  private final long seed;

  Judge(Tokenizer tok, CausalLM reference, RewardModel proxyRm, RewardModel goldRm, List<long[]> prompts, int maxNewTokens, long seed) {
    this.tok = tok;
    this.reference = reference;
    this.proxyRm = proxyRm;
    this.goldRm = goldRm;
    this.prompts = prompts;
    this.maxNewTokens = maxNewTokens;
    this.seed = seed;
  }

  /** The proxy reward model as the policies' scorer: its logit of positive sentiment for opening + continuation. */
  Scorer proxy() { return Scorer.text(tok, (ps, rs) -> proxyRm.score(items(ps, rs))); }

  /** Gold P(positive) of decoded (prompt, response) pairs. */
  double[] gold(List<long[]> ps, List<long[]> rs) {
    double[] logits = Scorer.text(tok, (p, r) -> goldRm.score(items(p, r))).score(ps, rs);
    for (int i = 0; i < logits.length; i++) logits[i] = 1 / (1 + Math.exp(-logits[i]));
    return logits;
  }

  SamplingConfig sampling(long salt) {
    return SamplingConfig.sample(maxNewTokens, 1.0, 0, 1.0, seed + salt, tok.stopIds());
  }

  /** A trained (or the reference) policy: its own samples, their gold and proxy rewards, KL to the reference. */
  Point policy(String method, String setting, CausalLM policy) {
    Generation g = Generator.generate(policy, prompts, tok.padId(), sampling(17));
    List<long[]> rs = List.of(g.outputIds());
    double[] lp = ResponseBatch.sequenceLogprobs(policy, prompts, rs, tok.padId(), 64);
    double[] lr = ResponseBatch.sequenceLogprobs(reference, prompts, rs, tok.padId(), 64);
    double kl = 0;
    for (int i = 0; i < lp.length; i++) kl += lp[i] - lr[i];
    return point(method, setting, Math.max(0, kl / lp.length), rs);
  }

  /** Best-of-n from the reference, picked by the proxy; KL is the analytic log n - (n - 1) / n (Stiennon et al. 2020). */
  Point bestOfN(int n) {
    List<BestOfN.Pick> picks = BestOfN.pick(reference, proxy(), prompts, n, tok.padId(), sampling(100 + n), 128);
    return point("best_of_n", "n=" + n, Math.log(n) - (n - 1.0) / n, picks.stream().map(BestOfN.Pick::best).toList());
  }

  private Point point(String method, String setting, double kl, List<long[]> rs) {
    double[] gold = gold(prompts, rs);
    double[] proxy = proxy().score(prompts, rs);
    List<Sample> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN, rs.size()); i++) {
      int at = i * (rs.size() / Math.min(SHOWN, rs.size()));  // spread over prompts
      shown.add(new Sample(decode(prompts.get(at)), decode(rs.get(at)), gold[at]));
    }
    return new Point(method, setting, kl, mean(gold), mean(proxy), rs.size(), shown);
  }

  String decode(long[] ids) {
    int[] x = new int[ids.length];
    for (int i = 0; i < ids.length; i++) x[i] = Math.toIntExact(ids[i]);
    return tok.decode(x, true);
  }

  private static List<PromptCompletion> items(List<String> ps, List<String> rs) {
    List<PromptCompletion> out = new ArrayList<>(ps.size());
    for (int i = 0; i < ps.size(); i++) out.add(new PromptCompletion(Content.text(ps.get(i)), Content.text(rs.get(i))));
    return out;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}

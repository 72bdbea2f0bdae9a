package org.rlhf4j.demo.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rlhf4j.demo.world.GoldReward;
import org.rlhf4j.demo.world.Judgement;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.training.bon.BestOfN;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.Scorer;

/** Sampled responses of a policy to the evaluation prompts, judged by gold and learned rewards, plus KL to the reference. */
final class PolicyEvaluator {
  private final Chat chat;
  private final GoldReward gold;
  private final Scorer.Text proxy;
  private final CausalLM reference;
  private final int maxNewTokens;
  private final long seed;

  PolicyEvaluator(Chat chat, GoldReward gold, Scorer.Text proxy, CausalLM reference, int maxNewTokens, long seed) {
    this.chat = chat;
    this.gold = gold;
    this.proxy = proxy;
    this.reference = reference;
    this.maxNewTokens = maxNewTokens;
    this.seed = seed;
  }

  PolicyReport evaluate(String name, CausalLM policy, List<Prompt> prompts) {
    List<String> texts = prompts.stream().map(Prompt::text).toList();
    // Policies are judged on what they sample (temperature 0.7, one seed for all), not on their greedy mode:
    // RLHF moves a distribution, and the gold reward should see that distribution.
    List<String> responses = respond(policy, texts, SamplingConfig.sample(maxNewTokens, 0.7, 0, 1.0, seed + 7, stops()));
    return judge(name, prompts, responses, kl(policy, texts));
  }

  /** Judges given responses (e.g. best-of-n picks); {@code kl} as measured by the caller. */
  PolicyReport judge(String name, List<Prompt> prompts, List<String> responses, double kl) {
    List<String> texts = prompts.stream().map(Prompt::text).toList();
    List<Judgement> js = new ArrayList<>();
    double[] g = new double[prompts.size()], len = new double[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      Judgement j = gold.judge(prompts.get(i), responses.get(i));
      js.add(j);
      g[i] = j.score();
      len[i] = j.length();
    }
    return new PolicyReport(name, prompts, responses, js, g, proxy.score(texts, responses), len, kl);
  }

  List<String> respond(CausalLM policy, List<String> prompts, SamplingConfig cfg) {
    Generation gen = Generator.generate(policy, chat.promptIds(prompts), chat.tokenizer().padId(), cfg);
    List<String> out = new ArrayList<>();
    for (long[] ids : gen.outputIds()) out.add(chat.response(ids));
    return out;
  }

  /** Mean over prompts of the sequence KL(policy || reference), estimated on samples from the policy (k1). */
  double kl(CausalLM policy, List<String> prompts) {
    List<long[]> p = chat.promptIds(prompts);
    Generation gen = Generator.generate(policy, p, chat.tokenizer().padId(),
        SamplingConfig.sample(maxNewTokens, 1.0, 0, 1.0, seed, stops()));
    List<long[]> r = List.of(gen.outputIds());
    double[] lp = ResponseBatch.sequenceLogprobs(policy, p, r, chat.tokenizer().padId(), 512);
    double[] lr = ResponseBatch.sequenceLogprobs(reference, p, r, chat.tokenizer().padId(), 512);
    double s = 0;
    for (int i = 0; i < lp.length; i++) s += lp[i] - lr[i];
    return s / lp.length;
  }

  Set<Integer> stops() { return chat.tokenizer().stopIds(); }

  /**
   * Best-of-n (rejection sampling, {@link BestOfN}): n samples per prompt from {@code policy} (temperature 0.7), the
   * one {@code scorer} likes best judged. Its KL to the base policy has the closed-form bound log n - (n - 1) / n
   * (Stiennon et al. 2020).
   */
  PolicyReport bestOfN(CausalLM policy, List<Prompt> prompts, int n, Scorer scorer) {
    List<long[]> ids = chat.promptIds(prompts.stream().map(Prompt::text).toList());
    List<BestOfN.Pick> picks = BestOfN.pick(policy, scorer, ids, n, chat.tokenizer().padId(),
        SamplingConfig.sample(maxNewTokens, 0.7, 0, 1.0, seed + 100, stops()), 256);
    List<String> best = picks.stream().map(p -> chat.response(p.best())).toList();
    return judge("best_of_n", prompts, best, Math.log(n) - (n - 1.0) / n);
  }
}

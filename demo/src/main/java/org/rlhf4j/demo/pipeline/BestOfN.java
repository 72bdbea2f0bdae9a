package org.rlhf4j.demo.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;

/** Rejection sampling: n samples per prompt from the policy, keep the one the reward model likes best. */
final class BestOfN {
  private BestOfN() {}

  static PolicyReport run(PolicyEvaluator eval, CausalLM policy, List<Prompt> prompts, int n, ResponseScorer scorer,
      int maxNewTokens, long seed, Set<Integer> stops) {
    List<String> texts = prompts.stream().map(Prompt::text).toList();
    List<List<String>> samples = new ArrayList<>();
    for (int k = 0; k < n; k++) samples.add(eval.respond(policy, texts, SamplingConfig.sample(maxNewTokens, 0.7, 0, 1.0, seed + 100 + k, stops)));
    double[][] scores = new double[n][];
    for (int k = 0; k < n; k++) scores[k] = scorer.score(texts, samples.get(k));
    List<String> best = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      int arg = 0;
      for (int k = 1; k < n; k++) if (scores[k][i] > scores[arg][i]) arg = k;
      best.add(samples.get(arg).get(i));
    }
    // KL of best-of-n to its base policy has the closed-form bound log n - (n - 1) / n (Stiennon et al. 2020).
    return eval.judge("best_of_n", prompts, best, Math.log(n) - (n - 1.0) / n);
  }
}

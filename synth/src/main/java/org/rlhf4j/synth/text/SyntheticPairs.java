package org.rlhf4j.synth.text;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.rollout.Scorer;

/**
 * AI-labelled preference pairs: {@code k} sampled responses per prompt from a policy, scored by a reward model (or
 * any {@link Scorer}), turned into pairs whose soft label is the Bradley-Terry probability under the scorer,
 * {@code P(chosen > rejected) = sigmoid(r_chosen - r_rejected)}. {@link Pairing#BEST_WORST} keeps one pair per prompt
 * (highest against lowest score, the most informative pair); {@link Pairing#ALL} keeps every pair of distinct
 * responses. Prompts whose k responses are all the same text, or all score the same, give no best-worst pair.
 */
public final class SyntheticPairs {
  private SyntheticPairs() {}

  public enum Pairing { BEST_WORST, ALL }

  public static List<PreferencePair> generate(CausalLM policy, Tokenizer tok, Scorer scorer, List<long[]> prompts, int k,
      SamplingConfig sampling, Pairing pairing, int rowsPerBatch) {
    if (k < 2) throw new IllegalArgumentException("k must be >= 2 (a pair needs two responses), got " + k);
    if (sampling.greedy()) throw new IllegalArgumentException("pairs need sampling, not greedy decoding (the k responses would be equal)");
    int perBatch = Math.max(1, rowsPerBatch / k);
    List<PreferencePair> out = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += perBatch) {
      List<long[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + perBatch));
      List<long[]> rows = new ArrayList<>();
      for (long[] p : chunk) for (int j = 0; j < k; j++) rows.add(p);
      SamplingConfig s = SamplingConfig.sample(sampling.maxNewTokens(), sampling.temperature(), sampling.topK(), sampling.topP(),
          sampling.seed() + from, sampling.stopIds());
      Generation g = Generator.generate(policy, rows, tok.padId(), s);
      List<long[]> responses = List.of(g.outputIds());
      double[] scores = scorer.score(rows, responses);
      for (int i = 0; i < chunk.size(); i++) {
        String prompt = text(tok, chunk.get(i));
        List<String> texts = new ArrayList<>();
        for (int j = 0; j < k; j++) texts.add(text(tok, responses.get(i * k + j)));
        out.addAll(pairs(prompt, texts, java.util.Arrays.copyOfRange(scores, i * k, i * k + k), pairing));
      }
    }
    return out;
  }

  /** The pairs of one prompt's scored responses (chosen = the higher score; equal texts never pair). */
  public static List<PreferencePair> pairs(String prompt, List<String> responses, double[] scores, Pairing pairing) {
    List<PreferencePair> out = new ArrayList<>();
    if (pairing == Pairing.BEST_WORST) {
      int best = 0, worst = 0;
      for (int j = 1; j < scores.length; j++) {
        if (scores[j] > scores[best]) best = j;
        if (scores[j] < scores[worst]) worst = j;
      }
      if (!responses.get(best).equals(responses.get(worst))) out.add(pair(prompt, responses, scores, best, worst));
      return out;
    }
    for (int a = 0; a < scores.length; a++) {
      for (int b = a + 1; b < scores.length; b++) {
        if (responses.get(a).equals(responses.get(b))) continue;
        out.add(scores[a] >= scores[b] ? pair(prompt, responses, scores, a, b) : pair(prompt, responses, scores, b, a));
      }
    }
    return out;
  }

  private static PreferencePair pair(String prompt, List<String> responses, double[] scores, int chosen, int rejected) {
    double p = 1 / (1 + Math.exp(-(scores[chosen] - scores[rejected])));
    return new PreferencePair(Content.text(prompt), Content.text(responses.get(chosen)), Content.text(responses.get(rejected)), p);
  }

  private static String text(Tokenizer tok, long[] ids) {
    int[] v = new int[ids.length];
    for (int i = 0; i < ids.length; i++) v[i] = Math.toIntExact(ids[i]);
    return tok.decode(v, true);
  }
}

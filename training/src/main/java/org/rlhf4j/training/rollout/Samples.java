package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.RowGenerator;
import org.rlhf4j.models.generate.SamplingConfig;

/**
 * One rollout batch of sampled responses and their scores.
 *
 * @param responses         new tokens, truncated after the first stop token (no padding)
 * @param finished          whether each response ended with a stop token
 * @param scores            scorer output minus the missing-EOS penalty where it applies
 * @param generationSeconds wall time of sampling
 * @param scoringSeconds    wall time of the scorer
 */
public record Samples(List<long[]> prompts, List<long[]> responses, boolean[] finished, double[] scores,
    double generationSeconds, double scoringSeconds) {

  /** Samples one response per prompt (batched, KV-cached, seeded) and scores them. */
  public static Samples draw(CausalLM policy, Scorer scorer, List<long[]> prompts, int padId, int maxNewTokens,
      double temperature, Set<Integer> stopIds, long seed, double missingEosPenalty) {
    long t0 = System.nanoTime();
    Generation g = Generator.generate(policy, prompts, padId,
        SamplingConfig.sample(maxNewTokens, temperature, 0, 1.0, seed, stopIds));
    return scored(g, scorer, prompts, missingEosPenalty, t0);
  }

  /**
   * As {@link #draw}, each response from a random stream of its own, seeded by {@code seed} and its row's index in the
   * whole rollout ({@code firstRow} + its index here): a data-parallel rank's share then samples what one process
   * sampling every row this way samples, whatever the other rows (up to float rounding of the padded forward).
   */
  public static Samples drawPerRow(CausalLM policy, Scorer scorer, List<long[]> prompts, int padId, int maxNewTokens,
      double temperature, Set<Integer> stopIds, long seed, int firstRow, double missingEosPenalty) {
    long t0 = System.nanoTime();
    List<RowGenerator.Row> rows = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      long rowSeed = new SplittableRandom(seed).split().nextLong() + 0x9E3779B97F4A7C15L * (firstRow + i);
      rows.add(new RowGenerator.Row(prompts.get(i), SamplingConfig.sample(maxNewTokens, temperature, 0, 1.0, rowSeed, stopIds)));
    }
    Generation g = RowGenerator.generate(policy, rows, padId, 0, null);
    return scored(g, scorer, prompts, missingEosPenalty, t0);
  }

  private static Samples scored(Generation g, Scorer scorer, List<long[]> prompts, double missingEosPenalty, long t0) {
    long t1 = System.nanoTime();
    List<long[]> responses = new ArrayList<>(List.of(g.outputIds()));
    double[] scores = scorer.score(prompts, responses);
    if (scores.length != prompts.size()) {
      throw new IllegalStateException("scorer returned " + scores.length + " scores for " + prompts.size() + " responses");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) throw new IllegalStateException("scorer returned " + scores[i] + " for response " + i);
      if (!g.finished()[i]) scores[i] -= missingEosPenalty;
    }
    long t2 = System.nanoTime();
    return new Samples(prompts, responses, g.finished(), scores, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  public int size() { return prompts.size(); }

  public double meanScore() {
    double s = 0;
    for (double x : scores) s += x;
    return s / scores.length;
  }

  public double meanResponseLength() {
    double s = 0;
    for (long[] r : responses) s += r.length;
    return s / responses.size();
  }

  public int numFinished() {
    int n = 0;
    for (boolean f : finished) if (f) n++;
    return n;
  }
}

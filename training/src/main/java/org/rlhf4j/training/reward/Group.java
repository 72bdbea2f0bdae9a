package org.rlhf4j.training.reward;

import java.util.List;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Row;

/**
 * One prompt's responses and the comparisons between them: a pair (K = 2, one comparison with
 * its probability) or a K-way ranking (all K(K-1)/2 comparisons, as InstructGPT, so each response
 * goes through the model once per batch however many pairs it is in).
 *
 * @param responses prompt + response rows
 * @param chosen    index into responses of each comparison's preferred side
 * @param rejected  index of the other side
 * @param prob      probability that chosen is preferred (1 for hard labels)
 * @param truncated whether a prompt was cut to fit the length policy
 */
public record Group(List<Row> responses, int[] chosen, int[] rejected, double[] prob, boolean truncated) {
  public Group {
    responses = List.copyOf(responses);
    if (chosen.length != rejected.length || chosen.length != prob.length) {
      throw new IllegalArgumentException("Group: chosen, rejected and prob must have one entry per comparison");
    }
    for (int k = 0; k < chosen.length; k++) {
      if (chosen[k] < 0 || chosen[k] >= responses.size() || rejected[k] < 0 || rejected[k] >= responses.size()) {
        throw new IllegalArgumentException("Group: comparison " + k + " names a response outside 0.." + (responses.size() - 1));
      }
      if (!(prob[k] >= 0 && prob[k] <= 1)) throw new IllegalArgumentException("Group: prob must be in [0, 1], got " + prob[k]);
    }
  }

  /** A tokenised pair: full prompt + response rows, and the probability that {@code chosen} is preferred. */
  public static Group pair(Row chosen, Row rejected, double chosenProbability) {
    return new Group(List.of(chosen, rejected), new int[] {0}, new int[] {1}, new double[] {chosenProbability}, false);
  }

  public int pairs() { return chosen.length; }

  /** Encodes a pair for {@code rm}; null when the policy drops one of its sides. */
  static Group of(PreferencePair p, RewardModel rm, LengthPolicy policy) {
    RewardModel.Fitted f = rm.rows(p.prompt(), List.of(p.chosen(), p.rejected()), policy);
    return f.dropped() > 0 ? null
        : new Group(f.kept(), new int[] {0}, new int[] {1}, new double[] {p.chosenProbability()}, f.truncated());
  }

  /** Encodes a ranking for {@code rm} with all its K(K-1)/2 comparisons; null when the policy drops one response. */
  static Group of(Ranking r, RewardModel rm, LengthPolicy policy) {
    RewardModel.Fitted f = rm.rows(r.prompt(), r.bestFirst(), policy);
    if (f.dropped() > 0) return null;
    int k = f.kept().size(), n = k * (k - 1) / 2, at = 0;
    int[] c = new int[n], w = new int[n];
    double[] p = new double[n];
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++, at++) {
        c[at] = i;
        w[at] = j;
        p[at] = 1.0;
      }
    }
    return new Group(f.kept(), c, w, p, f.truncated());
  }
}

package org.rlhf4j.training.grpo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.bytedeco.pytorch.AbstractTensor;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.rollout.Samples;

/**
 * DAPO's dynamic sampling (Yu et al. 2025, section 3.2): a group whose K rewards are all equal
 * has zero advantage and teaches nothing, so it is replaced by an informative group from extra
 * draws of prompts, up to {@code maxRounds} extra draws. Groups still all-equal after that stay
 * in the batch (its shape, and so the minibatch layout, is fixed) and the caller masks them out
 * of the loss.
 */
final class DynamicSampling {
  private DynamicSampling() {}

  /**
   * @param samples     the batch, groups of k consecutive rows
   * @param informative per group: whether its rewards differ
   * @param rounds      extra draws made
   */
  record Result(Samples samples, boolean[] informative, int rounds) {}

  /** Which groups of k consecutive {@code rewards} are not all equal (unbiased std above 1e-8). */
  static boolean[] informative(double[] rewards, int k) {
    boolean[] zero = GroupAdvantages.zeroStd(AbstractTensor.create(rewards, rewards.length / k, k)); // (P, K)
    boolean[] out = new boolean[zero.length];
    for (int g = 0; g < out.length; g++) out[g] = !zero[g];
    return out;
  }

  /**
   * Fills the all-equal groups of {@code first} with informative groups of {@code draw.apply(1..maxRounds)}
   * (each a batch shaped like {@code first}), in order, stopping once none is left.
   *
   * @param rewards the reward of each row of a batch (what the advantages are computed from)
   */
  static Result fill(Samples first, int k, int maxRounds, IntFunction<Samples> draw,
      java.util.function.Function<Samples, double[]> rewards) {
    boolean[] informative = informative(rewards.apply(first), k);
    List<Integer> open = new ArrayList<>();
    for (int g = 0; g < informative.length; g++) if (!informative[g]) open.add(g);
    if (open.isEmpty() || maxRounds == 0) return new Result(first, informative, 0);
    List<long[]> prompts = new ArrayList<>(first.prompts()), responses = new ArrayList<>(first.responses());
    boolean[] finished = first.finished().clone();
    double[] scores = first.scores().clone();
    double generation = first.generationSeconds(), scoring = first.scoringSeconds();
    int rounds = 0;
    while (!open.isEmpty() && rounds < maxRounds) {
      Samples extra = draw.apply(++rounds);
      generation += extra.generationSeconds();
      scoring += extra.scoringSeconds();
      boolean[] useful = informative(rewards.apply(extra), k);
      for (int g = 0; g < useful.length && !open.isEmpty(); g++) {
        if (!useful[g]) continue;
        int slot = open.remove(0);
        for (int j = 0; j < k; j++) {
          int to = slot * k + j, from = g * k + j;
          prompts.set(to, extra.prompts().get(from));
          responses.set(to, extra.responses().get(from));
          finished[to] = extra.finished()[from];
          scores[to] = extra.scores()[from];
        }
        informative[slot] = true;
      }
    }
    return new Result(new Samples(prompts, responses, finished, scores, generation, scoring), informative, rounds);
  }
}

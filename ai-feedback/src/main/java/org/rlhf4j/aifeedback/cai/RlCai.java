package org.rlhf4j.aifeedback.cai;

import java.util.SplittableRandom;
import org.rlhf4j.aifeedback.label.PairSource;

/**
 * Constitutional AI's RL stage, labelling side (Bai et al. 2022, section 4): the feedback model compares each pair
 * under one principle drawn at random from the constitution, its preference question becoming the judge's criterion
 * (a multiple-choice question answered by option-token probabilities). The labels train a preference model (or DPO)
 * for the RL stage. Draws are seeded by each pair's id, so a resumed run asks the same questions.
 */
public final class RlCai {
  private RlCai() {}

  public static PairSource underRandomPrinciples(PairSource pairs, Constitution constitution, long seed) {
    constitution.drawPreference(new SplittableRandom(0)); // fails now, naming the field, if no principle has a question
    return pairs.map(item -> {
      Principle p = constitution.drawPreference(Constitution.drawsFor(seed, item.id()));
      return item.under(p.name(), p.preferenceQuestion());
    });
  }
}

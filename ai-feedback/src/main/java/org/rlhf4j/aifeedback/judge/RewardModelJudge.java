package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.training.reward.RewardModel;

/**
 * A reward model as a judge: P(A better) = sigma(r_A - r_B), the Bradley-Terry probability the model was trained
 * to predict. It ignores the criterion and is position-free by construction (sigma(r_B - r_A) = 1 - sigma(r_A - r_B)).
 */
public final class RewardModelJudge implements Judge {
  /** Rewards of responses to prompts, in order. */
  @FunctionalInterface
  public interface Rewards {
    double[] score(List<Content> prompts, List<String> responses);
  }

  private final Rewards rewards;
  private final String name;

  public RewardModelJudge(Rewards rewards, String name) {
    this.rewards = Objects.requireNonNull(rewards, "rewards");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A trained {@link RewardModel} (its own tokenizer and chat template render the conversations). */
  public static RewardModelJudge of(RewardModel rm, String name) {
    rm.requiresGrad(false);
    return new RewardModelJudge((prompts, responses) -> {
      List<PromptCompletion> items = new ArrayList<>(prompts.size());
      for (int i = 0; i < prompts.size(); i++) items.add(new PromptCompletion(prompts.get(i), Content.text(responses.get(i))));
      return rm.score(items);
    }, name);
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    List<Content> prompts = new ArrayList<>(2 * items.size());
    List<String> responses = new ArrayList<>(2 * items.size());
    for (Comparison c : items) { prompts.add(c.prompt()); responses.add(c.responseA()); }
    for (Comparison c : items) { prompts.add(c.prompt()); responses.add(c.responseB()); }
    double[] r = rewards.score(prompts, responses);
    List<Verdict> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) out.add(Verdict.of(Averaging.sigmoid(r[i] - r[items.size() + i])));
    return out;
  }

  @Override public String name() { return name; }
}

package org.rlhf4j.demo.sentiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Sizes of the controlled-sentiment example. {@link #standard} is the full run (about 15 minutes on an idle
 * 2-core CPU), {@link #quick} a smoke run of every stage (about 2 minutes idle).
 *
 * @param rmTexts        labelled texts each reward model trains on (SST-2 for the proxy, IMDb for the gold judge)
 * @param rmSteps        optimizer steps of each reward model (batch 16, top {@code rmLayers} MiniLM layers trained,
 *                       with the pooler and head; 0 = pooler and head only, learning rate {@link #rmLr()})
 * @param rmEvalTexts    SST-2 test sentences / held-out IMDb reviews the accuracies are measured on
 * @param trainPrompts   story openings the policies train on; {@code evalPrompts} are the held-out ones judged
 * @param samplesPerEval samples per evaluation prompt (temperature 1) behind each frontier point
 * @param ppoBetas       KL coefficients of the PPO runs; {@code dpoBetas} the DPO betas; {@code bestOfN} the n values
 */
public record SentimentConfig(String name, Path output, Path shared, long seed, int rmTexts, int rmSteps, int rmLayers,
    int rmEvalTexts, int trainPrompts, int evalPrompts, int samplesPerEval, int maxNewTokens, List<Double> ppoBetas,
    int ppoIterations, int ppoBatch, double ppoLr, List<Double> dpoBetas, int dpoPairsPerPrompt, int dpoSteps, double dpoLr,
    List<Integer> bestOfN) {
  public SentimentConfig {
    if (output == null || shared == null) throw new IllegalArgumentException("SentimentConfig: output and shared are required");
    if (ppoBetas.isEmpty() || dpoBetas.isEmpty() || bestOfN.isEmpty()) throw new IllegalArgumentException("SentimentConfig: every method needs a setting");
    if (trainPrompts < 1 || evalPrompts < 1 || trainPrompts + evalPrompts > StoryPrompts.count()) {
      throw new IllegalArgumentException("SentimentConfig: train + eval prompts must be within the " + StoryPrompts.count() + " openings");
    }
    ppoBetas = List.copyOf(ppoBetas);
    dpoBetas = List.copyOf(dpoBetas);
    bestOfN = List.copyOf(bestOfN);
  }

  public static SentimentConfig standard(Path output, Path shared, long seed) {
    return new SentimentConfig("standard", output, shared, seed, 3000, 120, 2, 872, 40, 24, 4, 40,
        List.of(0.2, 0.05, 0.01), 12, 32, 1e-3, List.of(0.5, 0.1, 0.03), 4, 60, 1e-3, List.of(1, 2, 4, 8, 16));
  }

  public static SentimentConfig quick(Path output, Path shared, long seed) {
    return new SentimentConfig("quick", output, shared, seed, 480, 30, 0, 200, 16, 8, 2, 24,
        List.of(0.1, 0.01), 3, 16, 1e-3, List.of(0.3, 0.05), 2, 10, 1e-3, List.of(1, 2, 4));
  }

  /** The reward models' learning rate: higher when only the fresh pooler and head train. */
  double rmLr() { return rmLayers == 0 ? 2e-3 : 1e-4; }

  /** What a stage's results depend on: a stage done under another key is redone. */
  String stageKey(String stage) {
    return String.format(Locale.ROOT, "%s %s seed=%d rm=%d/%d/%d/%d prompts=%d/%d/%d tokens=%d ppo=%s/%d/%d/%g dpo=%s/%d/%d/%g bon=%s",
        stage, name, seed, rmTexts, rmSteps, rmLayers, rmEvalTexts, trainPrompts, evalPrompts, samplesPerEval, maxNewTokens,
        ppoBetas, ppoIterations, ppoBatch, ppoLr, dpoBetas, dpoPairsPerPrompt, dpoSteps, dpoLr, bestOfN);
  }
}

package org.rlhf4j.demo.sentiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.training.reward.EncoderPooling;

/**
 * Sizes of the controlled-sentiment example. {@link #standard} is the full run (sized for 15 minutes on an idle 2-core
 * CPU; not yet measured end to end), {@link #quick} a smoke run of every stage (about 200 CPU-seconds; too short for
 * its points to mean anything). summary.json records the wall and CPU seconds of each run.
 *
 * @param proxyRm        how the proxy reward model trains (on SST-2 train sentences)
 * @param goldRm         how the gold judge trains (on IMDb reviews; the other third of them measures it)
 * @param rmEvalTexts    at most this many SST-2 test sentences (872 in all) measure the proxy, and held-out IMDb reviews
 *                       (1,000: the third of imdb-small it does not train on) the gold judge
 * @param trainPrompts   story openings the policies train on; {@code evalPrompts} are the held-out ones judged
 * @param samplesPerEval samples per evaluation prompt (temperature 1) behind each frontier point
 * @param ppoBetas       KL coefficients of the PPO runs; {@code dpoBetas} the DPO betas; {@code bestOfN} the n values
 */
public record SentimentConfig(String name, Path output, Path shared, long seed, Rm proxyRm, Rm goldRm, int rmEvalTexts, int trainPrompts, int evalPrompts, int samplesPerEval, int maxNewTokens, List<Double> ppoBetas,
    int ppoIterations, int ppoBatch, double ppoLr, List<Double> dpoBetas, int dpoPairsPerPrompt, int dpoSteps, double dpoLr,
    List<Integer> bestOfN) {
  /**
   * One MiniLM judge's training: {@code texts} labelled texts, {@code steps} optimizer steps of {@code batch} texts cut
   * to {@code maxLength} tokens, the top {@code layers} MiniLM layers trained with the pooler and head (0 = pooler and
   * head only), peak learning rate {@code lr}.
   */
  public record Rm(int texts, int steps, int layers, double lr, int batch, int maxLength) {
    public Rm {
      if (texts < 1 || steps < 1 || batch < 1) throw new IllegalArgumentException("SentimentConfig.Rm: texts, steps and batch must be >= 1");
      if (layers < 0 || layers > 6) throw new IllegalArgumentException("SentimentConfig.Rm: layers must be 0..6 (MiniLM has 6), got " + layers);
      if (!(lr > 0) || maxLength < 8) throw new IllegalArgumentException("SentimentConfig.Rm: lr must be > 0 and maxLength >= 8");
    }

    String key() { return String.format(Locale.ROOT, "%d/%d/%d/%g/%d/%d", texts, steps, layers, lr, batch, maxLength); }
  }

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
    return new SentimentConfig("standard", output, shared, seed, new Rm(20000, 300, 6, 1e-4, 32, 64),
        new Rm(2000, 100, 2, 2e-4, 16, 128), 1000, 40, 24, 4, 40,
        List.of(0.2, 0.05, 0.01), 10, 24, 5e-5, List.of(0.5, 0.1, 0.03), 4, 40, 4e-5, List.of(1, 2, 4, 8));
  }

  public static SentimentConfig quick(Path output, Path shared, long seed) {
    return new SentimentConfig("quick", output, shared, seed, new Rm(480, 30, 0, 2e-3, 16, 64), new Rm(480, 30, 0, 2e-3, 16, 128),
        200, 16, 8, 2, 24,
        List.of(0.1, 0.01), 3, 16, 2e-4, List.of(0.3, 0.05), 2, 10, 2e-4, List.of(1, 2, 4));
  }

  /**
   * The judges' pooling: the token mean sentence-transformers trained all-MiniLM-L6-v2 with (its [CLS] state was
   * never trained to summarise a text, so a head on it starts from much weaker features).
   */
  static final EncoderPooling POOLING = EncoderPooling.MEAN;

  /** What a stage's results depend on: a stage done under another key is redone. */
  String stageKey(String stage) {
    return String.format(Locale.ROOT, "%s %s seed=%d rm=%s/%s/%d/%s prompts=%d/%d/%d tokens=%d ppo=%s/%d/%d/%g dpo=%s/%d/%d/%g bon=%s",
        stage, name, seed, proxyRm.key(), goldRm.key(), rmEvalTexts, POOLING.key(), trainPrompts, evalPrompts, samplesPerEval, maxNewTokens,
        ppoBetas, ppoIterations, ppoBatch, ppoLr, dpoBetas, dpoPairsPerPrompt, dpoSteps, dpoLr, bestOfN);
  }
}

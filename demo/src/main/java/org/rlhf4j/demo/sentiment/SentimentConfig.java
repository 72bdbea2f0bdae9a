package org.rlhf4j.demo.sentiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.ppo.PpoConfig;
import org.rlhf4j.training.reward.EncoderPooling;

/**
 * Sizes of the controlled-sentiment example. {@link #standard} is the full run (sized for 15 minutes on a 2-core CPU),
 * {@link #quick} a smoke run of every stage (about 150 CPU-seconds; too short for its points to mean anything).
 * summary.json records the wall and CPU seconds of each run.
 *
 * @param seed           the policies' seed (sampling, PPO, DPO, best-of-n)
 * @param rmSeed         the reward models' seed (their data order, initial heads and the IMDb split); several policy
 *                       seeds can share one pair of judges
 * @param proxyRm        how the proxy reward model trains (on SST-2 train sentences)
 * @param goldRm         how the gold judge trains (on IMDb reviews; the other third of them measures it)
 * @param rmEvalTexts    at most this many SST-2 test sentences (872 in all) measure the proxy, and held-out IMDb reviews
 *                       (1,000: the third of imdb-small it does not train on) the gold judge
 * @param trainPrompts   story openings the policies train on; {@code evalPrompts} are the held-out ones judged
 * @param samplesPerEval samples per evaluation prompt (temperature 1) behind each frontier point
 * @param ppo            the PPO runs (one per KL coefficient); {@code dpo} the DPO runs; {@code bestOfN} the n values
 */
public record SentimentConfig(String name, Path output, Path shared, long seed, long rmSeed, Rm proxyRm, Rm goldRm, int rmEvalTexts,
    int trainPrompts, int evalPrompts, int samplesPerEval, int maxNewTokens, Ppo ppo, Dpo dpo, List<Integer> bestOfN) {
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

  /**
   * PPO against the proxy, one run per KL coefficient in {@code betas} (fixed controller, k1 estimator): {@code
   * iterations} rollouts of {@code batch} openings, each split into {@code miniBatches} and trained {@code epochs}
   * times, peak learning rate {@code lr} (linear decay to a tenth).
   */
  public record Ppo(List<Double> betas, int iterations, int batch, int miniBatches, int epochs, double lr) {
    public Ppo {
      if (betas == null || betas.isEmpty()) throw new IllegalArgumentException("SentimentConfig.Ppo: betas needs at least one KL coefficient");
      if (iterations < 1 || epochs < 1 || miniBatches < 1 || batch < miniBatches || batch % miniBatches != 0) {
        throw new IllegalArgumentException("SentimentConfig.Ppo: iterations and epochs must be >= 1 and batch (" + batch
            + ") a multiple of miniBatches (" + miniBatches + ")");
      }
      if (!(lr > 0)) throw new IllegalArgumentException("SentimentConfig.Ppo: lr must be > 0, got " + lr);
      betas = List.copyOf(betas);
    }

    /**
     * The critic every run uses: the value head learns on the policy's hidden states without moving the policy, at
     * 100x its learning rate, on Monte-Carlo returns (GAE lambda 1). With TRL's shared head at the policy's rate and
     * lambda 0.95 the head barely learned in 80 steps (value loss flat), so the advantages of the early tokens were
     * mostly KL noise: PPO spent KL without reward (seed 1, beta 1.0: gold 0.757 at KL 1.27; with this critic 0.808
     * at 1.11).
     */
    static final PpoConfig.Critic CRITIC = new PpoConfig.Critic(true, 100);
    static final Gae.Config GAE = new Gae.Config(1.0, 1.0);

    /** One run's settings (its beta and everything else here but the other betas). */
    String key(double beta) {
      return String.format(Locale.ROOT, "beta=%s it=%d batch=%d mb=%d epochs=%d lr=%g critic=%s*%s lam=%s", beta, iterations,
          batch, miniBatches, epochs, lr, CRITIC.detached() ? "detached" : "shared", CRITIC.lrScale(), GAE.lam());
    }
  }

  /**
   * DPO on reference samples labelled by the proxy: {@code pairsPerPrompt} pairs per training opening, each from
   * {@code samplesPerPair} samples, the proxy's best chosen and its worst rejected (2 = a plain pair; more widens the
   * pair's reward gap, as best-vs-worst of k in RLHF pipelines), {@code steps} optimizer steps at peak learning rate
   * {@code lr}, one run per beta in {@code betas}.
   */
  public record Dpo(List<Double> betas, int pairsPerPrompt, int samplesPerPair, int steps, double lr) {
    public Dpo {
      if (betas == null || betas.isEmpty()) throw new IllegalArgumentException("SentimentConfig.Dpo: betas needs at least one beta");
      if (pairsPerPrompt < 1 || steps < 1 || !(lr > 0)) {
        throw new IllegalArgumentException("SentimentConfig.Dpo: pairsPerPrompt and steps must be >= 1 and lr > 0");
      }
      if (samplesPerPair < 2) throw new IllegalArgumentException("SentimentConfig.Dpo: samplesPerPair must be >= 2, got " + samplesPerPair);
      betas = List.copyOf(betas);
    }

    /** The pairs' settings; a plain pair (2 samples) keeps the key it had before samplesPerPair existed. */
    String pairsKey() { return "pairs=" + pairsPerPrompt + (samplesPerPair == 2 ? "" : " best-worst-of=" + samplesPerPair); }

    String key(double beta) { return String.format(Locale.ROOT, "beta=%s %s steps=%d lr=%g", beta, pairsKey(), steps, lr); }
  }

  public SentimentConfig {
    if (output == null || shared == null) throw new IllegalArgumentException("SentimentConfig: output and shared are required");
    if (ppo == null || dpo == null || bestOfN == null || bestOfN.isEmpty()) {
      throw new IllegalArgumentException("SentimentConfig: every method (ppo, dpo, bestOfN) needs a setting");
    }
    if (trainPrompts < 1 || evalPrompts < 1 || trainPrompts + evalPrompts > StoryPrompts.count()) {
      throw new IllegalArgumentException("SentimentConfig: train + eval prompts must be within the " + StoryPrompts.count() + " openings");
    }
    bestOfN = List.copyOf(bestOfN);
  }

  /**
   * The full run. PPO: 20 iterations of 64 rollouts, one minibatch, 4 epochs, lr 1e-4 (the earlier 10 x 24 at 5e-5
   * stopped updating: approx-KL and clip fraction fell to 0 while the score wandered). DPO: 8 pairs per opening, each
   * the proxy's best and worst of 4 reference samples (1,280 proxy-scored samples, as PPO's 20 x 64 rollouts), 120
   * steps of 16 pairs at lr 1e-4; the earlier 160 plain pairs and 40 steps at 4e-5 never left KL 0.5.
   */
  public static SentimentConfig standard(Path output, Path shared, long seed) {
    return new SentimentConfig("standard", output, shared, seed, seed, new Rm(20000, 300, 6, 1e-4, 32, 64),
        new Rm(2000, 100, 2, 2e-4, 16, 128), 1000, 40, 24, 4, 40, new Ppo(List.of(1.0, 0.6, 0.2, 0.05), 20, 64, 1, 4, 1e-4),
        new Dpo(List.of(4.0, 2.0, 0.5, 0.1), 8, 4, 120, 1e-4), List.of(1, 2, 4, 8));
  }

  public static SentimentConfig quick(Path output, Path shared, long seed) {
    return new SentimentConfig("quick", output, shared, seed, seed, new Rm(480, 30, 0, 2e-3, 16, 64), new Rm(480, 30, 0, 2e-3, 16, 128),
        200, 16, 8, 2, 24, new Ppo(List.of(0.1, 0.01), 3, 16, 2, 4, 2e-4), new Dpo(List.of(0.3, 0.05), 2, 2, 10, 2e-4), List.of(1, 2, 4));
  }

  /** The same run with other PPO settings (the reward models, DPO and best-of-n stages are kept). */
  public SentimentConfig withPpo(Ppo other) {
    return new SentimentConfig(name, output, shared, seed, rmSeed, proxyRm, goldRm, rmEvalTexts, trainPrompts, evalPrompts,
        samplesPerEval, maxNewTokens, other, dpo, bestOfN);
  }

  /** The same run with other DPO settings (the reward models, PPO and best-of-n stages are kept). */
  public SentimentConfig withDpo(Dpo other) {
    return new SentimentConfig(name, output, shared, seed, rmSeed, proxyRm, goldRm, rmEvalTexts, trainPrompts, evalPrompts,
        samplesPerEval, maxNewTokens, ppo, other, bestOfN);
  }

  /** The same run with the reward models of another seed (the policies keep {@link #seed}). */
  public SentimentConfig withRmSeed(long judgesSeed) {
    return new SentimentConfig(name, output, shared, seed, judgesSeed, proxyRm, goldRm, rmEvalTexts, trainPrompts, evalPrompts,
        samplesPerEval, maxNewTokens, ppo, dpo, bestOfN);
  }

  /**
   * The judges' pooling: the token mean sentence-transformers trained all-MiniLM-L6-v2 with (its [CLS] state was
   * never trained to summarise a text, so a head on it starts from much weaker features).
   */
  static final EncoderPooling POOLING = EncoderPooling.MEAN;

  // What each stage's results depend on, and nothing else: a stage done under another key is redone, a stage whose
  // key did not change is loaded. So changing PPO's settings retrains PPO alone, never the reward models.

  /** A reward model: its recipe, its seed, the texts that measure it and the pooling. */
  String rmKey(String stage) {
    Rm rc = switch (stage) {
      case "proxy-rm" -> proxyRm;
      case "gold-rm" -> goldRm;
      default -> throw new IllegalArgumentException("SentimentConfig: no reward model stage " + stage);
    };
    return String.format(Locale.ROOT, "%s seed=%d rm=%s eval=%d pooling=%s", stage, rmSeed, rc.key(), rmEvalTexts, POOLING.key());
  }

  /** What a policy trained on the proxy's scores of training openings depends on, besides its method's own settings. */
  private String trainedOn() {
    return String.format(Locale.ROOT, "seed=%d train=%d tokens=%d [%s]", seed, trainPrompts, maxNewTokens, rmKey("proxy-rm"));
  }

  /** One PPO run. */
  String ppoKey(double beta) { return "ppo " + ppo.key(beta) + " " + trainedOn(); }

  /** One DPO run (its pairs come from the reference, scored by the proxy). */
  String dpoKey(double beta) { return "dpo " + dpo.key(beta) + " " + trainedOn(); }

  /**
   * A frontier point: what made the policy (or best-of-n's n and picker) and what judges it (the held-out openings,
   * samples per opening, both reward models).
   */
  String pointKey(String method, String setting) {
    double value = setting.isEmpty() ? 0 : Double.parseDouble(setting.substring(setting.indexOf('=') + 1));
    String made = switch (method) {
      case "reference" -> "reference";
      case "best_of_n" -> "best_of_n n=" + (int) value + " [" + rmKey("proxy-rm") + "]";
      case "ppo" -> ppoKey(value);
      case "dpo" -> dpoKey(value);
      default -> throw new IllegalArgumentException("SentimentConfig: no method " + method);
    };
    return String.format(Locale.ROOT, "%s | judged seed=%d eval=%d/%d tokens=%d [%s] [%s]", made, seed, evalPrompts, samplesPerEval,
        maxNewTokens, rmKey("proxy-rm"), rmKey("gold-rm"));
  }
}

package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.demo.sentiment.SentimentConfig;
import org.rlhf4j.demo.sentiment.SentimentExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j example sentiment}: the DPO paper's controlled-sentiment frontier with stories260K and MiniLM judges. */
@Command(name = "sentiment", mixinStandardHelpOptions = true,
    description = {"Controlled sentiment generation (the DPO paper's Figure 2 at CPU scale): stories260K continues story "
        + "openings; a MiniLM classifier fine-tuned on SST-2 is the proxy reward, another fine-tuned on IMDb the gold judge. "
        + "PPO (several KL coefficients), DPO on policy samples labelled by the proxy (several betas) and best-of-n "
        + "(several n) each give gold P(positive) vs KL points.",
        "Writes OUTPUT/report.html (frontier chart, points, samples before/after) and OUTPUT/summary.json; a re-run "
            + "with the same settings loads finished stages and resumes the interrupted one."})
public final class ExampleSentimentCommand implements Callable<Integer> {
  @Option(names = "--output", defaultValue = "runs/sentiment", description = "Output folder (default ${DEFAULT-VALUE}).") Path output;
  @Option(names = "--shared", description = "The shared data folder holding fixtures/stories260K, data/sst2 and data/imdb-small "
      + "(default: ../shared, else ./shared).") Path shared;
  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--rm-seed", description = "Seed of the proxy and gold reward models (default: --seed); runs of several "
      + "--seed values with one --rm-seed compare the methods against the same judges.") Long rmSeed;
  @Option(names = "--dpo-samples", description = "Samples per DPO pair: the proxy's best of K is chosen, its worst rejected "
      + "(default 4; 2 = a plain pair); only the DPO stages retrain.") Integer dpoSamples;
  @Option(names = "--dpo-pairs", description = "DPO pairs per training opening (default 8; --quick 2); only the DPO stages retrain.")
  Integer dpoPairs;
  @Option(names = "--dpo-steps", description = "DPO optimizer steps of 16 pairs (default 120; --quick 10).") Integer dpoSteps;
  @Option(names = "--dpo-lr", description = "DPO peak learning rate (default 1e-4; --quick 2e-4).") Double dpoLr;
  @Option(names = "--dpo-betas", split = ",", description = "DPO betas, one run each (default 4.0,2.0,0.5,0.1).") List<Double> dpoBetas;
  @Option(names = "--ppo-betas", split = ",", description = "PPO KL coefficients, one run each (default 1.0,0.6,0.2,0.05); only "
      + "the PPO stages retrain.") List<Double> ppoBetas;
  @Option(names = "--ppo-iterations", description = "PPO iterations (default 20; --quick 3).") Integer ppoIterations;
  @Option(names = "--ppo-batch", description = "PPO rollouts per iteration, one minibatch (default 64; --quick 16 in 2).") Integer ppoBatch;
  @Option(names = "--ppo-epochs", description = "PPO epochs over each iteration's rollouts (default 4).") Integer ppoEpochs;
  @Option(names = "--ppo-lr", description = "PPO peak learning rate (default 1e-4; --quick 2e-4).") Double ppoLr;
  @Option(names = "--quick", description = "A smoke run of every stage (fewer steps, prompts and settings; about 150 CPU-seconds).") boolean quick;

  @Override public Integer call() throws Exception {
    if (dpoSamples != null && dpoSamples < 2) {
      throw new UserError("--dpo-samples: must be >= 2 (best vs worst of K samples), got " + dpoSamples);
    }
    positive("--dpo-pairs", dpoPairs);
    positive("--dpo-steps", dpoSteps);
    positive("--dpo-lr", dpoLr);
    positive("--dpo-betas", dpoBetas);
    positive("--ppo-betas", ppoBetas);
    positive("--ppo-iterations", ppoIterations);
    positive("--ppo-batch", ppoBatch);
    positive("--ppo-epochs", ppoEpochs);
    positive("--ppo-lr", ppoLr);
    Path data = shared != null ? shared : Files.isDirectory(Path.of("..", "shared")) ? Path.of("..", "shared") : Path.of("shared");
    for (String need : new String[] {"fixtures/stories260K", "data/sst2", "data/imdb-small"}) {
      if (!Files.exists(data.resolve(need))) {
        throw new UserError("--shared: " + data.toAbsolutePath().normalize() + " has no " + need + " (pass the shared data folder)");
      }
    }
    SentimentConfig cfg = quick ? SentimentConfig.quick(output, data, seed) : SentimentConfig.standard(output, data, seed);
    if (rmSeed != null) cfg = cfg.withRmSeed(rmSeed);
    cfg = cfg.withDpo(dpo(cfg.dpo())).withPpo(ppo(cfg.ppo()));
    new SentimentExample(cfg).run();
    return 0;
  }

  /** The run's DPO settings with the flags given (checked in {@link #call}). */
  private SentimentConfig.Dpo dpo(SentimentConfig.Dpo d) {
    return new SentimentConfig.Dpo(or(dpoBetas, d.betas()), or(dpoPairs, d.pairsPerPrompt()), or(dpoSamples, d.samplesPerPair()),
        or(dpoSteps, d.steps()), or(dpoLr, d.lr()));
  }

  private SentimentConfig.Ppo ppo(SentimentConfig.Ppo p) {
    int miniBatches = ppoBatch == null ? p.miniBatches() : 1;  // a batch of one's own is one minibatch
    return new SentimentConfig.Ppo(or(ppoBetas, p.betas()), or(ppoIterations, p.iterations()), or(ppoBatch, p.batch()), miniBatches,
        or(ppoEpochs, p.epochs()), or(ppoLr, p.lr()));
  }

  private static <T> T or(T given, T fallback) { return given != null ? given : fallback; }

  private static void positive(String flag, Number value) {
    if (value != null && !(value.doubleValue() > 0)) throw new UserError(flag + ": must be > 0, got " + value);
  }

  private static void positive(String flag, List<Double> values) {
    if (values == null) return;
    if (values.isEmpty()) throw new UserError(flag + ": give at least one value");
    for (Double v : values) positive(flag, v);
  }
}

package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
      + "(default 2, a plain pair); only the DPO stages retrain.") Integer dpoSamples;
  @Option(names = "--quick", description = "A smoke run of every stage (fewer steps, prompts and settings; about 150 CPU-seconds).") boolean quick;

  @Override public Integer call() throws Exception {
    if (dpoSamples != null && dpoSamples < 2) {
      throw new UserError("--dpo-samples: must be >= 2 (best vs worst of K samples), got " + dpoSamples);
    }
    Path data = shared != null ? shared : Files.isDirectory(Path.of("..", "shared")) ? Path.of("..", "shared") : Path.of("shared");
    for (String need : new String[] {"fixtures/stories260K", "data/sst2", "data/imdb-small"}) {
      if (!Files.exists(data.resolve(need))) {
        throw new UserError("--shared: " + data.toAbsolutePath().normalize() + " has no " + need + " (pass the shared data folder)");
      }
    }
    SentimentConfig cfg = quick ? SentimentConfig.quick(output, data, seed) : SentimentConfig.standard(output, data, seed);
    if (rmSeed != null) cfg = cfg.withRmSeed(rmSeed);
    if (dpoSamples != null) {
      SentimentConfig.Dpo d = cfg.dpo();
      cfg = cfg.withDpo(new SentimentConfig.Dpo(d.betas(), d.pairsPerPrompt(), dpoSamples, d.steps(), d.lr()));
    }
    new SentimentExample(cfg).run();
    return 0;
  }
}

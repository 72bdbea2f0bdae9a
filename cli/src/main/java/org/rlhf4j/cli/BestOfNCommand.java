package org.rlhf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.bon.BestOfN;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j best-of-n}: sample n responses per prompt, keep the reward model's favourite. */
@Command(name = "best-of-n", mixinStandardHelpOptions = true,
    description = {"Best-of-n sampling: n responses per prompt from --model, scored by --reward-model; prints the mean "
        + "best, first-sample (best-of-1) and all-sample scores and writes OUTPUT/best_of_n.jsonl ({prompt, completion}) "
        + "for another round of SFT."})
public final class BestOfNCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("reward_model", "reward_adapter", "response_length", "temperature", "n");
  /** Every setting best-of-n reads: it trains nothing, so the loop's flags (--max-steps, --lr, ...) are not offered. */
  static final Set<String> KNOWN = Set.of("model", "data", "output", "seed", "batch_size", "pii", "reward_model", "reward_adapter",
      "response_length", "temperature", "n");

  @Option(names = "--config", description = "YAML or JSON file of settings (flags override it).") Path config;
  @Option(names = "--model", description = "Policy model folder (config.json, model.safetensors, tokenizer.json).") Path model;
  @Option(names = "--data", description = "Prompts: JSONL {\"prompt\"}.") Path data;
  @Option(names = "--output", description = "Output folder (best_of_n.jsonl, the effective settings).") Path output;
  @Option(names = "--reward-model", description = "Reward model folder (Hugging Face sequence classifier).") Path rewardModel;
  @Option(names = "--reward-adapter", description = PpoCommand.RlFlags.ADAPTER_DOC) Path rewardAdapter;
  @Option(names = "--n", description = "Samples per prompt (default 4).") Integer n;
  @Option(names = "--batch-size", description = "Prompts sampled together (default 64 / n).") Integer batchSize;
  @Option(names = "--max-new-tokens", description = "Response length in tokens (default 53).") Integer maxNewTokens;
  @Option(names = "--temperature", description = "Sampling temperature (default 1.0).") Double temperature;
  @Option(names = "--seed", description = "Sampling seed (default 42).") Long seed;
  @Option(names = "--pii", description = "Personal data in the prompts: off (default), detect, redact or reject.") String pii;

  @Override public Integer call() throws IOException {
    Settings c = config == null ? new Settings(new java.util.LinkedHashMap<>(), "settings") : Settings.read(config);
    c.checkKnown(KNOWN);
    c.put("model", model);
    c.put("data", data);
    c.put("output", output);
    c.put("reward_model", rewardModel);
    c.put("reward_adapter", rewardAdapter);
    c.put("batch_size", batchSize);
    c.put("response_length", maxNewTokens);
    c.put("temperature", temperature);
    c.put("seed", seed);
    c.put("pii", pii);
    for (String k : new String[] {"model", "data", "output", "reward_model"}) c.path(k);
    c.put("n", n);
    int count = c.integer("n", 4);
    if (count < 1) throw new UserError("n must be >= 1, got " + count);
    Path out = c.path("output");
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"));
      var prompts = PpoCommand.RlFlags.prompts(c, tok);
      var scorer = PpoCommand.RlFlags.scorer(c, tok);
      int newTokens = c.integer("response_length", 53), perBatch = c.integer("batch_size", Math.max(1, 64 / count));
      if (perBatch < 1) throw new UserError("--batch-size must be >= 1, got " + perBatch);
      PpoCommand.RlFlags.checkContext(prompts, policy, newTokens, c);
      Files.createDirectories(out);
      c.write(out);
      Path file = out.resolve("best_of_n.jsonl");
      // the winners so far are stored after every batch: an interrupted run keeps what it finished
      var picks = BestOfN.pick(policy, scorer, prompts, count, tok.padId(),
          SamplingConfig.sample(newTokens, c.number("temperature", 1.0), 0, 1.0, c.integer("seed", 42), tok.stopIds()),
          perBatch * count, sofar -> BestOfN.writeSft(file, sofar, tok));
      BestOfN.Summary s = BestOfN.summary(picks, count);
      System.out.printf(Locale.ROOT, "best-of-%d over %d prompts: mean best %.4f, best-of-1 %.4f, mean %.4f; wrote %s%n",
          count, picks.size(), s.meanBest(), s.meanFirst(), s.meanAll(), out.resolve("best_of_n.jsonl"));
    }
    return 0;
  }
}

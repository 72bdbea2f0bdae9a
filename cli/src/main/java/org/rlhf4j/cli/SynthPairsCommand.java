package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.synth.text.SyntheticPairs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j synth pairs}: AI-labelled preference pairs from a policy and a reward model. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
    description = {"Sample --k responses per prompt from --model, score them with --reward-model and write preference "
        + "pairs (JSONL: prompt, chosen, rejected, chosen_probability = sigmoid(r_chosen - r_rejected)) for reward-model "
        + "or DPO training."})
public final class SynthPairsCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Policy folder (Hugging Face layout with tokenizer.json).") Path model;
  @Option(names = "--reward-model", required = true, description = "Reward model folder.") Path rewardModel;
  @Option(names = "--prompts", required = true, description = "JSONL with a \"prompt\" per line.") Path prompts;
  @Option(names = "--output", required = true, description = "Preference JSONL to write.") Path output;
  @Option(names = "--k", defaultValue = "4", description = "Responses per prompt (default 4).") int k;
  @Option(names = "--pairing", defaultValue = "best-worst", description = "best-worst (one pair per prompt, default) or all.") String pairing;
  @Option(names = "--max-new-tokens", defaultValue = "64", description = "Response length in tokens (default 64).") int maxNewTokens;
  @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default 1.0).") double temperature;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;

  @Override public Integer call() throws Exception {
    if (k < 2) throw new UserError("--k must be >= 2, got " + k);
    SyntheticPairs.Pairing p = switch (pairing) {
      case "best-worst" -> SyntheticPairs.Pairing.BEST_WORST;
      case "all" -> SyntheticPairs.Pairing.ALL;
      default -> throw new UserError("--pairing must be best-worst or all, got '" + pairing + "'");
    };
    if (!(temperature > 0)) throw new UserError("--temperature must be > 0, got " + temperature);
    try (Tokenizer tok = Settings.tokenizer(model)) {
      CausalLM policy = Settings.model(model);
      List<long[]> ps = PpoCommand.RlFlags.prompts(prompts, tok);
      var scorer = PpoCommand.RlFlags.scorer(rewardModel, null, tok);
      List<PreferencePair> pairs = SyntheticPairs.generate(policy, tok, scorer, ps, k,
          SamplingConfig.sample(maxNewTokens, temperature, 0, 1.0, seed, tok.stopIds()), p, 64);
      if (output.getParent() != null) Files.createDirectories(output.getParent());
      DataFiles.writePreferences(output, pairs);
      double mean = pairs.stream().mapToDouble(PreferencePair::chosenProbability).average().orElse(Double.NaN);
      System.out.printf(Locale.ROOT, "synth pairs: %d pairs from %d prompts (k %d), mean chosen_probability %.3f -> %s%n",
          pairs.size(), ps.size(), k, mean, output);
    }
    return 0;
  }
}

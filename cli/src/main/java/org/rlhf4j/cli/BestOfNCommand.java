package org.rlhf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.bon.BestOfN;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j best-of-n}: sample n responses per prompt, keep the reward model's favourite. */
@Command(name = "best-of-n", mixinStandardHelpOptions = true,
    description = {"Best-of-n sampling: n responses per prompt from --model, scored by --reward-model; prints the mean "
        + "best, first-sample (best-of-1) and all-sample scores and writes OUTPUT/best_of_n.jsonl ({prompt, completion}) "
        + "for another round of SFT."})
public final class BestOfNCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("reward_model", "response_length", "temperature", "kl_coef", "n");

  @Mixin TrainFlags flags;
  @Mixin PpoCommand.RlFlags rl;
  @Option(names = "--n", description = "Samples per prompt (default 4).") Integer n;

  @Override public Integer call() throws IOException {
    Settings c = flags.settings(KEYS, "model", "data", "output");
    rl.apply(c);
    c.put("n", n);
    int count = c.integer("n", 4);
    if (count < 1) throw new UserError("n must be >= 1, got " + count);
    Path out = c.path("output");
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"));
      var prompts = PpoCommand.RlFlags.prompts(c, tok);
      var scorer = PpoCommand.RlFlags.scorer(c.path("reward_model"), tok);
      var picks = BestOfN.pick(policy, scorer, prompts, count, tok, c.integer("response_length", 53),
          c.number("temperature", 1.0), c.integer("seed", 42));
      Files.createDirectories(out);
      c.write(out);
      BestOfN.writeSft(out.resolve("best_of_n.jsonl"), picks, tok);
      BestOfN.Summary s = BestOfN.summary(picks, count);
      System.out.printf(Locale.ROOT, "best-of-%d over %d prompts: mean best %.4f, best-of-1 %.4f, mean %.4f; wrote %s%n",
          count, picks.size(), s.meanBest(), s.meanFirst(), s.meanAll(), out.resolve("best_of_n.jsonl"));
    }
    return 0;
  }
}

package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j score}: rewards of responses to a prompt under a reward model. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Prints the reward of each --response to --prompt under a reward model folder.")
public final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Reward model folder.") Path model;
  @Option(names = "--prompt", required = true, description = "Prompt text.") String prompt;
  @Option(names = "--response", required = true, description = "Response text (repeat for several).") List<String> responses;
  @Option(names = "--chat", description = "Treat prompt and response as a user and an assistant message (chat template).") boolean chat;
  @Option(names = "--json", description = "Print one JSON object {rewards: [...]}.") boolean json;

  @Override public Integer call() throws Exception {
    RewardModel rm = load(model);
    List<PromptCompletion> items = new ArrayList<>();
    for (String r : responses) {
      items.add(chat ? new PromptCompletion(Content.chat(Message.user(prompt)), Content.chat(Message.assistant(r)))
          : new PromptCompletion(Content.text(prompt), Content.text(r)));
    }
    double[] rewards = rm.score(items);
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(java.util.Map.of("rewards", rewards)));
    } else {
      for (int i = 0; i < rewards.length; i++) System.out.printf(Locale.ROOT, "%.6f\t%s%n", rewards[i], responses.get(i));
    }
    return 0;
  }

  /** A reward model folder with its tokenizer, or a one-line error. */
  static RewardModel load(Path dir) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) throw new UserError("reward model folder " + dir + " has no config.json");
    if (!RewardCommand.isRewardModel(dir)) throw new UserError(dir + " is not a reward model (config.json names no *ForSequenceClassification)");
    RewardModel rm = RewardModel.load(dir);
    if (!rm.hasTokenizer()) throw new UserError("no tokenizer.json in " + dir);
    return rm;
  }
}

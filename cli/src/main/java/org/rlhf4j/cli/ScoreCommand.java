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
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j score}: rewards of responses to a prompt under a reward model. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Prints the reward of each --response to --prompt under a reward model folder.")
public final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Reward model folder (or the base of --adapter: a causal LM or "
      + "reward model folder; or a PEFT SEQ_CLS adapter folder whose base_model_name_or_path is its base).") Path model;
  @Option(names = "--adapter", description = ADAPTER_DOC) Path adapter;
  @Option(names = "--prompt", required = true, description = "Prompt text.") String prompt;
  @Option(names = "--response", required = true, description = "Response text (repeat for several).") List<String> responses;
  @Option(names = "--chat", description = "Treat prompt and response as a user and an assistant message (chat template).") boolean chat;
  @Option(names = "--json", description = "Print one JSON object {rewards: [...]}.") boolean json;

  @Override public Integer call() throws Exception {
    RewardModel rm = load(model, adapter, "--model", "--adapter");
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

  static final String ADAPTER_DOC = "PEFT SEQ_CLS LoRA adapter folder (a LoRA `rlhf4j reward` run's adapter/, or PEFT's "
      + "LoraConfig(task_type=\"SEQ_CLS\") save_pretrained) applied to --model, then its base: its score head is the adapter's.";

  /** A reward model folder with its tokenizer, or a one-line error. */
  static RewardModel load(Path dir) { return load(dir, null, "--model", "--adapter"); }

  /**
   * A reward model with its tokenizer, or a one-line error naming the flag: {@code dir} a reward model folder, or a PEFT
   * SEQ_CLS adapter folder (base from its base_model_name_or_path); with {@code adapter}, {@code dir} is its base.
   */
  static RewardModel load(Path dir, Path adapter, String flag, String adapterFlag) {
    boolean adapterOnly = adapter == null && !Files.isRegularFile(dir.resolve("config.json")) && LoraModel.isAdapterFolder(dir);
    if (!adapterOnly && !Files.isRegularFile(dir.resolve("config.json"))) throw new UserError(flag + ": reward model folder " + dir + " has no config.json");
    if (adapter == null && !adapterOnly && !RewardCommand.isRewardModel(dir)) {
      throw new UserError(flag + ": " + dir + " is not a reward model (config.json names no *ForSequenceClassification; "
          + "a base model takes its reward adapter with " + adapterFlag + ")");
    }
    if (adapter != null && !LoraModel.isAdapterFolder(adapter)) throw new UserError(adapterFlag + ": " + adapter + " has no " + LoraModel.CONFIG_FILE);
    RewardModel rm;
    try {
      rm = adapter != null ? RewardModel.load(dir, adapter) : RewardModel.load(dir);
    } catch (CheckpointException e) {
      throw new UserError((adapter != null ? adapterFlag : flag) + ": " + e.getMessage());
    }
    if (!rm.hasTokenizer()) throw new UserError("no tokenizer.json in " + (adapter != null ? adapter + " or " : "") + dir);
    return rm;
  }
}
